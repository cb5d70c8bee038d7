"""Summary, notes and keywords of a transcript: local and extractive by default (no model, nothing
downloaded), or from any OpenAI-compatible chat endpoint when NOTULA_SUMMARY_API_URL is set."""

import json
import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import requests
from django.conf import settings

log = logging.getLogger(__name__)

STOPWORDS = set(
    """a about above after again against all also am an and any are aren't as at be because been before being
    below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each
    few for from further get got had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers
    herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself just let's like
    me more most mustn't my myself no nor not now of off ok okay on once only or other ought our ours ourselves out
    over own really right same shan't she she'd she'll she's should shouldn't so some such than that that's the
    their theirs them themselves then there there's these they they'd they'll they're they've this those through to
    too under until up us very was wasn't we we'd we'll we're we've well were weren't what what's when when's where
    where's which while who who's whom why why's will with won't would wouldn't yeah yes you you'd you'll you're
    you've your yours yourself yourselves thing things think going go one two also us let want need make sure
    morning everyone everybody hello hi thanks thank good great""".split()
)
# Sentences that carry a decision or a task (notes).
ACTION = re.compile(
    r"\b(will|i'll|we'll|let's|need to|needs to|should|must|action|decid|agree|deadline|by (monday|tuesday|"
    r"wednesday|thursday|friday|next week|tomorrow|the end))",
    re.I,
)


@dataclass
class Summary:
    summary: str
    notes: str
    keywords: list[str] = field(default_factory=list)
    source: str = "local"


def _sentences(lines: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    out = []
    for speaker, text in lines:
        for sentence in re.split(r"(?<=[.!?])\s+", text.strip()):
            if len(sentence.split()) >= 3:
                out.append((speaker, sentence.strip()))
    return out


def _tokens(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-zA-Z\u00C0-\u024F][\w'-]+", text.lower()) if w not in STOPWORDS and len(w) > 2]


def keywords_extract(lines: Sequence[tuple[str, str]], *, limit: int = 8) -> list[str]:
    """Frequent content words and two-word phrases, phrases first when they recur."""
    words: Counter = Counter()
    pairs: Counter = Counter()
    for _, text in lines:
        for sentence in re.split(r"[.!?,;:]", text):
            tokens = _tokens(sentence)
            words.update(tokens)
            pairs.update(f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False))
    chosen: list[str] = [p for p, n in pairs.most_common(limit) if n >= 2][: limit // 2]
    for word, _ in words.most_common(limit * 2):
        if len(chosen) >= limit:
            break
        if not any(word in phrase.split() for phrase in chosen):
            chosen.append(word)
    return chosen


def summarize_local(lines: Sequence[tuple[str, str]], *, max_sentences: int = 5) -> Summary:
    """Extractive: the sentences whose content words are most frequent in the whole meeting."""
    sentences = _sentences(lines)
    if not sentences:
        return Summary(summary="", notes="", keywords=[])
    frequency = Counter(t for _, s in sentences for t in _tokens(s))
    top = max(frequency.values(), default=1)

    def score(sentence: str) -> float:
        tokens = _tokens(sentence)
        return sum(frequency[t] / top for t in tokens) / (len(tokens) ** 0.5 or 1)

    ranked = sorted(range(len(sentences)), key=lambda i: -score(sentences[i][1]))[:max_sentences]
    summary = "\n".join(f"- {sentences[i][0] or 'Someone'}: {sentences[i][1]}" for i in sorted(ranked))
    actions = [(speaker, s) for speaker, s in sentences if ACTION.search(s)]
    questions = [(speaker, s) for speaker, s in sentences if s.endswith("?")]
    notes = []
    if actions:
        notes += ["**Decisions and actions**", ""] + [f"- {sp or 'Someone'}: {s}" for sp, s in actions[:10]] + [""]
    if questions:
        notes += ["**Questions raised**", ""] + [f"- {sp or 'Someone'}: {s}" for sp, s in questions[:10]]
    speakers = Counter(sp for sp, _ in lines if sp)
    if speakers:
        notes = [f"Speakers: {', '.join(speakers)}.", ""] + notes
    return Summary(summary=summary, notes="\n".join(notes).strip(), keywords=keywords_extract(lines))


def summarize_remote(lines: Sequence[tuple[str, str]], *, language: str = "") -> Summary:
    """Ask an OpenAI-compatible `POST /v1/chat/completions` for JSON {summary, notes, keywords}."""
    transcript = "\n".join(f"{speaker or 'Unknown'}: {text}" for speaker, text in lines)
    base = settings.SUMMARY_API_URL.rstrip("/")
    base = base[: -len("/v1")] if base.endswith("/v1") else base
    headers = {"Authorization": f"Bearer {settings.SUMMARY_API_KEY}"} if settings.SUMMARY_API_KEY else {}
    instruction = (
        "Summarize this meeting transcript. Answer with a JSON object with the keys "
        '"summary" (Markdown bullet points), "notes" (Markdown: decisions, action items with owners, open '
        'questions) and "keywords" (a list of at most 8 short strings)'
        + (f", written in the language '{language}'." if language else ".")
    )
    response = requests.post(
        f"{base}/v1/chat/completions",
        json={
            "model": settings.SUMMARY_MODEL,
            "messages": [{"role": "system", "content": instruction}, {"role": "user", "content": transcript}],
            "response_format": {"type": "json_object"},
            "temperature": 0.2,
        },
        headers=headers,
        timeout=settings.SUMMARY_TIMEOUT_S,
    )
    response.raise_for_status()
    content = response.json()["choices"][0]["message"]["content"]
    match = re.search(r"\{.*\}", content, re.S)
    data = json.loads(match.group(0) if match else content)
    keywords = data.get("keywords") or []
    if isinstance(keywords, str):
        keywords = [k.strip() for k in keywords.split(",") if k.strip()]
    return Summary(
        summary=str(data.get("summary") or "").strip(),
        notes=str(data.get("notes") or "").strip(),
        keywords=[str(k) for k in keywords][:12],
        source="remote",
    )


def summarize(lines: Sequence[tuple[str, str]], *, language: str = "") -> Summary:
    """(speaker, text) lines in spoken order -> Summary. A failing chat endpoint falls back to local."""
    if not lines:
        return Summary(summary="", notes="", keywords=[])
    if settings.SUMMARY_API_URL:
        try:
            return summarize_remote(lines, language=language)
        except Exception:
            log.warning("Summary endpoint failed; using the local summary", exc_info=True)
    return summarize_local(lines)

"""Transcript renderers: json, txt, srt, vtt and Markdown, all from the same segments."""

from collections.abc import Sequence

from meetings.models import Meeting, TranscriptSegment

FORMATS = {
    "json": "application/json",
    "txt": "text/plain; charset=utf-8",
    "srt": "application/x-subrip; charset=utf-8",
    "vtt": "text/vtt; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
}


def _clock(ms: int, sep: str) -> str:
    ms = max(0, int(ms))
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{sep}{millis:03d}"


def _short(ms: int) -> str:
    seconds = max(0, int(ms)) // 1000
    return f"{seconds // 60:02d}:{seconds % 60:02d}" if seconds < 3600 else _clock(ms, ".")[:8]


def segment_dict(segment: TranscriptSegment) -> dict:
    return {
        "id": segment.id,
        "speaker": segment.speaker or None,
        "participant_id": segment.participant_id,
        "text": segment.text,
        "start_ms": segment.start_ms,
        "end_ms": segment.end_ms,
        "started_at": segment.started_at.isoformat().replace("+00:00", "Z") if segment.started_at else None,
        "language": segment.language or None,
        "confidence": segment.confidence,
        "words": segment.words,
    }


def render_json(meeting: Meeting, segments: Sequence[TranscriptSegment]) -> list[dict]:
    return [segment_dict(s) for s in segments]


def render_txt(meeting: Meeting, segments: Sequence[TranscriptSegment]) -> str:
    return "".join(f"[{_short(s.start_ms)}] {s.speaker or 'Unknown'}: {s.text}\n" for s in segments)


def render_srt(meeting: Meeting, segments: Sequence[TranscriptSegment]) -> str:
    blocks = []
    for index, s in enumerate(segments, start=1):
        speaker = f"{s.speaker}: " if s.speaker else ""
        blocks.append(f"{index}\n{_clock(s.start_ms, ',')} --> {_clock(s.end_ms, ',')}\n{speaker}{s.text}\n")
    return "\n".join(blocks)


def render_vtt(meeting: Meeting, segments: Sequence[TranscriptSegment]) -> str:
    blocks = ["WEBVTT\n"]
    for s in segments:
        voice = f"<v {s.speaker}>" if s.speaker else ""
        blocks.append(f"{_clock(s.start_ms, '.')} --> {_clock(s.end_ms, '.')}\n{voice}{s.text}\n")
    return "\n".join(blocks)


def render_md(meeting: Meeting, segments: Sequence[TranscriptSegment]) -> str:
    """Consecutive lines of one speaker are grouped under one heading line."""
    title = meeting.title or f"Meeting {meeting.id}"
    lines = [f"# {title}", ""]
    when = meeting.started_at or meeting.created_at
    lines += [f"*{when:%Y-%m-%d %H:%M} UTC*", ""]
    speaker = object()
    for s in segments:
        if s.speaker != speaker:
            speaker = s.speaker
            lines += ["", f"**{s.speaker or 'Unknown'}** ({_short(s.start_ms)})", ""]
        lines.append(s.text)
    return "\n".join(lines).replace("\n\n\n", "\n\n").strip() + "\n"


RENDERERS = {"json": render_json, "txt": render_txt, "srt": render_srt, "vtt": render_vtt, "md": render_md}


def render(meeting: Meeting, segments: Sequence[TranscriptSegment], fmt: str):
    return RENDERERS[fmt](meeting, segments)

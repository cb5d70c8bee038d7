"""Template helpers: times the browser shows in the viewer's zone, durations, status badges."""

from datetime import UTC, datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

NOTHING = mark_safe('<span class="muted">—</span>')

register = template.Library()


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


@register.simple_tag
def when(value: datetime | None, style: str = "datetime"):
    """A <time> the page's script rewrites in the viewer's time zone; UTC until it does."""
    if value is None:
        return NOTHING
    return format_html(
        '<time datetime="{}" data-style="{}">{} UTC</time>', _iso(value), style, value.strftime("%Y-%m-%d %H:%M")
    )


def _clock(seconds: int) -> str:
    hours, rest = divmod(max(0, seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.simple_tag
def duration(start: datetime | None, end: datetime | None):
    """How long a bot has been (or was) in the call; a running one keeps counting in the browser."""
    if start is None:
        return NOTHING
    seconds = int(((end or timezone.now()) - start).total_seconds())
    if end is None:
        return format_html('<span class="ticking" data-since="{}">{}</span>', _iso(start), _clock(seconds))
    return _clock(seconds)


@register.simple_tag
def badge(status: str):
    return format_html(
        '<span class="badge badge-{}" data-status="{}">{}</span>', status, status, status.replace("_", " ")
    )


@register.filter
def offset(ms: int | None) -> str:
    """Milliseconds since the start of the meeting as m:ss."""
    return _clock(int(ms or 0) // 1000)


@register.filter
def markdown_lite(text: str | None):
    """The summaries' Markdown subset: headings, bullet lists, **bold** and paragraphs; everything escaped."""
    html: list[str] = []
    in_list = False
    for raw in (text or "").splitlines():
        line = raw.strip()
        bullet = line[:2] in ("- ", "* ")
        if in_list and not bullet:
            html.append("</ul>")
            in_list = False
        if not line:
            continue
        if bullet:
            if not in_list:
                html.append("<ul>")
                in_list = True
            html.append(format_html("<li>{}</li>", _bold(line[2:])))
        elif line.startswith("#"):
            html.append(format_html("<h3>{}</h3>", _bold(line.lstrip("#").strip())))
        else:
            html.append(format_html("<p>{}</p>", _bold(line)))
    if in_list:
        html.append("</ul>")
    return mark_safe("".join(html))


def _bold(text: str):
    parts = text.split("**")
    if len(parts) % 2 == 0:  # an unmatched ** stays as written
        return text
    return mark_safe(
        "".join(format_html("<strong>{}</strong>", p) if i % 2 else format_html("{}", p) for i, p in enumerate(parts))
    )

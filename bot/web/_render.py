"""HTML out: Jinja2 templates with autoescape on, and member text shown as text.

Jinja2 is used directly (aiohttp-jinja2 would only wrap the three lines of :func:`page`).
Chat text that Ladder wrote (a reply, a flag) keeps its light emphasis; anything a member wrote
is escaped first, and a mention such as ``<@U123>`` or ``@here`` is shown as plain text, never
turned into a link or a ping.
"""

import re
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aiohttp import web
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from handlers.health import format_duration, format_share
from models import ContributionKind

_MEMBER = re.compile(r"&lt;@!?([A-Za-z0-9._\-]+)(?:\|[^&]*)?&gt;")
_CHANNEL = re.compile(r"&lt;#([A-Za-z0-9._\-]+)(?:\|[^&]*)?&gt;")
_BOLD = re.compile(r"\*([^*\n]+)\*")
_CODE = re.compile(r"`([^`\n]+)`")
KINDS: dict[str, str] = {
    ContributionKind.ANSWER_ACCEPTED: "Answer accepted",
    ContributionKind.ANSWER_ACCEPTED_OVER_LIMIT: "Answer accepted (past the same-asker limit: no points)",
    ContributionKind.ANSWER_GIVEN: "Answer given",
    ContributionKind.QUESTION_ASKED: "Question asked",
    ContributionKind.INTRODUCTION: "Introduction",
    ContributionKind.QUEST_COMPLETED: "Quest completed",
    ContributionKind.REVIEW: "Quest reviewed",
    ContributionKind.CALL_FULFILLED: "Call fulfilled",
    ContributionKind.CALL_LED: "Call led",
}


def environment() -> Environment:
    """The template environment: package templates, autoescape everywhere, strict names."""
    env = Environment(
        loader=PackageLoader("bot.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(viewer=None, flash=(), csrf="", nav=(), active="")  # pages outside a session
    env.filters.update(
        chat=chat,
        duration=format_duration,
        share=format_share,
        day=day,
        short=short,
        moment=moment,
        ago=ago,
        number=number,
        kind=kind,
    )
    return env


def chat(text: str, names: dict[str, str] | None = None) -> Markup:
    """Ladder's chat text as HTML: escaped, ``*bold*`` and ```code``` kept, mentions as names."""
    html = str(escape(text))
    known = names or {}
    html = _MEMBER.sub(lambda m: f'<span class="mention">@{escape(known.get(m[1], m[1]))}</span>', html)
    html = _CHANNEL.sub(lambda m: f'<span class="mention">#{m[1]}</span>', html)
    html = _CODE.sub(r"<code>\1</code>", html)
    html = _BOLD.sub(r"<strong>\1</strong>", html)
    return Markup(html.replace("\n", "<br>\n"))  # noqa: S704 - every piece of member text was escaped above


def zone(name: str) -> tzinfo:
    """A community's time zone, UTC when the name is unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def day(value: datetime | None, timezone: str = "UTC") -> str:
    """A date as managers read it: ``Mon 5 Jan 2026``; an em dash when there is none."""
    if value is None:
        return "—"
    local = value.astimezone(zone(timezone))
    return f"{local:%a} {local.day} {local:%b %Y}"


def short(value: datetime, timezone: str = "UTC") -> str:
    """A date in a narrow column: ``5 Jan``."""
    local = value.astimezone(zone(timezone))
    return f"{local.day} {local:%b}"


def moment(value: datetime | None, timezone: str = "UTC") -> str:
    """A date and time: ``5 Jan 2026 14:05``."""
    if value is None:
        return "—"
    local = value.astimezone(zone(timezone))
    return f"{local.day} {local:%b %Y %H:%M}"


def ago(value: datetime | None, now: datetime) -> str:
    """How long ago, in the largest unit that reads well: ``3 days ago``, ``today``, ``never``."""
    if value is None:
        return "never"
    elapsed = now - value
    if elapsed < timedelta(hours=1):
        return (
            "just now" if elapsed < timedelta(minutes=1) else f"{int(elapsed.total_seconds() // 60)} min ago"
        )
    if elapsed < timedelta(days=1):
        return f"{int(elapsed.total_seconds() // 3600)} h ago"
    days = elapsed.days
    if days < 14:
        return "yesterday" if days == 1 else f"{days} days ago"
    if days < 70:
        return f"{days // 7} weeks ago"
    return f"{days // 30} months ago"


def kind(value: str) -> str:
    """A contribution kind in words."""
    return KINDS.get(value, value.replace("_", " ").capitalize())


def number(value: int | float | None) -> str:
    """A count with thousands separators; an em dash when there is none."""
    return "—" if value is None else f"{value:,}"


def html(env: Environment, template: str, *, status: int = 200, **context: object) -> web.Response:
    """Render a template into an HTML response."""
    body = env.get_template(template).render(**context)
    return web.Response(text=body, status=status, content_type="text/html", charset="utf-8")

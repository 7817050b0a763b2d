"""Reading a page's query string leniently: a value that is not one of the choices is ignored
(the page shows its default), never an error page."""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar
from urllib.parse import urlencode

E = TypeVar("E", bound=StrEnum)
MAX_SEARCH = 100
MAX_CURSOR = 500


def choice(query: Mapping[str, str], name: str, kind: type[E], default: E) -> E:
    """One of an enum's values, or the default."""
    try:
        return kind(query.get(name, ""))
    except ValueError:
        return default


def whole(query: Mapping[str, str], name: str) -> int | None:
    """A small whole number, or None."""
    value = query.get(name, "")
    return int(value) if value.isascii() and value.isdecimal() and len(value) <= 6 else None


def text(query: Mapping[str, str], name: str, limit: int = MAX_SEARCH) -> str:
    """Free text, cut to a sane length."""
    return query.get(name, "").strip()[:limit]


def cursor(query: Mapping[str, str], name: str = "cursor") -> str | None:
    """A page cursor (opaque; a foreign or tampered one only brings back the first page)."""
    value = query.get(name, "")
    return value if value and len(value) <= MAX_CURSOR else None


@dataclass(frozen=True, slots=True)
class Paging:
    """Links to the previous and next pages of a table (None: there is no such page)."""

    previous_link: str | None
    next_link: str | None


def paging(path: str, previous_cursor: str | None, next_cursor: str | None, **kept: object) -> Paging:
    """The pager's links for a table at ``path``, keeping its filters."""
    return Paging(
        link(path, **kept, cursor=previous_cursor) if previous_cursor else None,
        link(path, **kept, cursor=next_cursor) if next_cursor else None,
    )


def link(path: str, **params: object) -> str:
    """A URL with the non-empty parameters, for links that keep a page's filters."""
    kept = {key: str(value) for key, value in params.items() if value not in (None, "", False)}
    return f"{path}?{urlencode(kept)}" if kept else path

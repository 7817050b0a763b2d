"""Reading the dates of a DiscordChatExporter CSV, whatever format the exporter was told to use.

DiscordChatExporter formats CSV dates with a .NET format string the user chose: ``dd-MMM-yy
hh:mm tt`` (the old default, ``05-Jun-18 07:13 AM``), the short "g" pattern of a culture in
newer versions (``6/5/2018 7:13 AM``, ``05.06.2018 07:13``, ``2018/06/05 7:13``), ISO 8601,
``u``, Unix seconds or milliseconds, with or without ``(UTCK)`` offsets. The file does not say
which, and ``05/06/2018`` reads both ways, so the format is learned per file: every candidate
that reads every date of the file survives, and between day-first and month-first the one that
keeps the (chronological) export in order wins. Written by hand because general date parsers
guess per value, and a per-value guess reads half of an ambiguous file the wrong way round.
Times without an offset are local to the exporter's machine, which the file does not record:
they are read as UTC.
"""

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone
from itertools import pairwise

_DATES_DAY_FIRST = ("%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%y", "%d.%m.%y", "%d-%m-%y")
_DATES_MONTH_FIRST = ("%m/%d/%Y", "%m-%d-%Y", "%m/%d/%y", "%m-%d-%y", "%m.%d.%Y")
_DATES_NAMED = ("%d-%b-%y", "%d-%b-%Y", "%d %b %Y", "%b %d %Y", "%d-%B-%Y", "%d %B %Y", "%B %d %Y")
_DATES_YEAR_FIRST = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d")
_TIMES_12 = ("%I:%M %p", "%I:%M:%S %p")
_TIMES_24 = ("%H:%M", "%H:%M:%S", "%H:%M:%S.%f")
_OFFSET = re.compile(r"\s*\(?(?:UTC|GMT)?\s*([+-])(\d{1,2}):?(\d{2})\)?\s*$")
_MERIDIEM = (
    (re.compile(r"\b[aA]\.\s?[mM]\.?|오전|午前|上午"), "AM"),
    (re.compile(r"\b[pP]\.\s?[mM]\.?|오후|午後|下午"), "PM"),
)
_KOREAN_DATE = re.compile(r"(\d+)\.\s+(\d+)\.\s+(\d+)\.?")
_MERIDIEM_FIRST = re.compile(r"\b(AM|PM)\s*(\d{1,2}:\d{2}(?::\d{2})?)")


_AMBIGUOUS = frozenset(
    f"{d} {t}" for d in _DATES_DAY_FIRST + _DATES_MONTH_FIRST for t in _TIMES_12 + _TIMES_24
)


def _patterns(twelve_hour: bool) -> list[str]:
    """Candidate strptime patterns, the likelier reading of an ambiguous date first."""
    times = _TIMES_12 if twelve_hour else _TIMES_24
    first, second = (
        (_DATES_MONTH_FIRST, _DATES_DAY_FIRST) if twelve_hour else (_DATES_DAY_FIRST, _DATES_MONTH_FIRST)
    )
    dates = _DATES_YEAR_FIRST + _DATES_NAMED + first + second
    return [f"{d} {t}" for d in dates for t in times]


def normalise(value: str) -> tuple[str, timedelta | None]:
    """The date text in a form strptime reads, and the UTC offset it stated (if any).

    The cheap checks first: most files need none of the rewriting, and every row pays for it.
    """
    text = value.strip()
    offset = None
    if "+" in text or "UTC" in text or "GMT" in text or "-" in text[-6:]:
        found = _OFFSET.search(text)
        if found and ":" in text[: found.start()]:
            sign = -1 if found.group(1) == "-" else 1
            offset = sign * timedelta(hours=int(found.group(2)), minutes=int(found.group(3)))
            text = text[: found.start()]
    if not text.isascii() or "m." in text or "M." in text:
        for pattern, marker in _MERIDIEM:
            text = pattern.sub(marker, text)
        text = _KOREAN_DATE.sub(r"\1.\2.\3", text)
        text = _MERIDIEM_FIRST.sub(r"\2 \1", text)
    if "," in text or "  " in text:
        text = " ".join(text.replace(",", " ").split())
    return text, offset


def _instant(text: str) -> datetime | None:
    """ISO 8601 (with or without offset), ``u`` and Unix times, which need no learning."""
    if text.isdigit():
        number = int(text)
        return datetime.fromtimestamp(number / 1000 if len(text) > 11 else number, UTC)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _zoned(naive: datetime, offset: timedelta | None) -> datetime:
    """A parsed date in UTC (as UTC when the file stated no offset)."""
    zone = UTC if offset is None else timezone(offset)
    return naive.replace(tzinfo=zone).astimezone(UTC)


class DateReader:
    """Reads every date of one file with the one format that fits them all."""

    def __init__(self, values: Iterable[str]) -> None:
        self._cache: dict[str, datetime] = {}
        samples = [v for v in dict.fromkeys(values) if v.strip()]
        self._pattern = self._learn(samples) if samples and _instant(samples[0]) is None else None

    def _learn(self, samples: list[str]) -> str:
        """The pattern that reads every sample, the one keeping them in order when several do;
        the dates it read are kept, so the file's rows are not parsed twice."""
        read = [normalise(v) for v in samples]
        twelve = any(t.endswith(("AM", "PM")) for t, _ in read)
        fitting: list[tuple[int, int, str, list[datetime]]] = []
        for pattern in _patterns(twelve):
            try:
                moments = [_zoned(datetime.strptime(t, pattern), offset) for t, offset in read]  # noqa: DTZ007 - _zoned sets the zone
            except ValueError:
                continue
            disorder = sum(a > b for a, b in pairwise(moments))
            fitting.append((disorder, len(fitting), pattern, moments))
            if not disorder and pattern not in _AMBIGUOUS:
                break
        if not fitting:
            raise ValueError(f"unreadable date {samples[0]!r}")
        _, _, pattern, moments = min(fitting, key=lambda fit: fit[:2])
        self._cache.update(zip(samples, moments, strict=True))
        return pattern

    def read(self, value: str) -> datetime:
        """One date of the file as tz-aware UTC."""
        cached = self._cache.get(value)
        if cached is not None:
            return cached
        moment = _instant(value.strip())
        if moment is None:
            text, offset = normalise(value)
            if self._pattern is None:
                raise ValueError(f"unreadable date {value!r}")
            moment = _zoned(datetime.strptime(text, self._pattern), offset)  # noqa: DTZ007 - _zoned sets the zone
        if len(self._cache) < 100_000:
            self._cache[value] = moment
        return moment

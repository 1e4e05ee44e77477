"""Cell values of a tracker export: dates, numbers and lists, read the same for every source.

Each parser returns None for an empty cell and raises ValueError naming the text when
it cannot read it; the importer turns that into a `RowError`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime

# Jira writes dates in the exporting user's format; these are the ones it offers.
TRACKER_DATE_FORMATS = (
    "%d/%b/%y %I:%M %p",  # 3/Nov/20 12:17 PM (Jira's default)
    "%d/%b/%y %H:%M",  # 03/Nov/20 12:17
    "%d/%b/%Y %I:%M %p",
    "%d/%b/%Y %H:%M",
    "%Y-%m-%d %H:%M",  # 2020-11-03 12:17
    "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%d/%b/%y",
    "%Y-%m-%d",
)
# Linear (and other JavaScript tools) sometimes write Date.toString():
# "Mon Jan 15 2024 10:23:45 GMT+0100 (Central European Standard Time)"
JS_DATE = re.compile(
    r"^\w{3} (\w{3} \d{1,2} \d{4} \d{2}:\d{2}:\d{2}) GMT([+-]\d{4})(?: \(.*\))?$", re.ASCII
)


def parse_datetime(text: str, formats: Sequence[str] = ()) -> datetime | None:
    """A timezone-aware datetime from a tracker's date text; None for an empty cell.

    Tries `formats` first (a mapping file's), then ISO 8601 (with 'Z' or an offset),
    JavaScript's Date.toString() and Jira's export formats. A date without a timezone
    is taken as UTC: CSV exports do not say which zone they were written in.
    Raises ValueError naming the text when nothing fits.
    """
    text = text.strip()
    if not text:
        return None
    parsed = _parse_naive_or_aware(text, formats)
    if parsed is None:
        raise ValueError(f"'{_shorten(text)}' is not a date this importer understands")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def _parse_naive_or_aware(text: str, formats: Sequence[str]) -> datetime | None:
    for date_format in formats:
        try:
            return datetime.strptime(text, date_format)
        except ValueError:
            pass
    iso = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    try:
        return datetime.fromisoformat(iso)
    except ValueError:
        pass
    js = JS_DATE.match(text)
    if js:
        try:
            return datetime.strptime(f"{js.group(1)} {js.group(2)}", "%b %d %Y %H:%M:%S %z")
        except ValueError:
            return None
    for date_format in TRACKER_DATE_FORMATS:
        try:
            return datetime.strptime(text, date_format)
        except ValueError:
            pass
    return None


def parse_number(text: str) -> float | None:
    """Story points or an estimate: '3', '2.5', '2,5'; None for an empty cell."""
    text = text.strip()
    if not text:
        return None
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise ValueError(f"'{_shorten(text)}' is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"'{_shorten(text)}' is not a number")
    return value


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def split_list(text: str, separator: str = ",") -> list[str]:
    """'Bug, Frontend,,' -> ['Bug', 'Frontend']; repeats dropped, order kept."""
    values: list[str] = []
    for part in text.split(separator):
        value = part.strip()
        if value and value not in values:
            values.append(value)
    return values

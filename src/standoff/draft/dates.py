"""Find the dates a text mentions and resolve them against the document's date.

Candidate phrases are found by patterns (a month and day, a month and year, a month after a
preposition, a year after a preposition, a weekday, relative phrases such as "last week" or
"three days ago", "New Year", and "that day" referring back to the last day named); dateparser
resolves each against the document date (`RELATIVE_BASE`). A mention resolves to an interval
[first, last] with its precision: a day, a week (Monday to Sunday), a weekend, a month or a year.

Names without a year are placed by the rules of `_nearest_month`, `_weekday` and
`_nearest_day`: a month alone ("in March") or a weekday ("on Monday", "said Tuesday") is the
nearest one on or before the document's date (the document's own month or day counts), so a
January report's "in November" is the previous year's; after "by" or "until" (a deadline) a
month is the nearest on or after it; "last"/"next" before a weekday exclude the document's day.
A month and day without a year ("June 12") is the nearest such day on either side of the
document's date, because reports name scheduled days ahead as often as past ones.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from standoff.errors import StandoffError

MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|"
         r"December|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)")
PREP = (r"(?:[Oo]n|[Ss]ince|[Bb]y|[Uu]ntil|[Ff]rom|[Ii]n|[Bb]efore|[Aa]fter|[Dd]uring|[Ee]arly|"
        r"[Ll]ate|[Mm]id-?)")
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                "seven": 7, "eight": 8, "nine": 9, "ten": 10, "few": 3, "several": 3}

#: (pattern, kind) in order of preference: earlier patterns win where spans overlap
PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"\b(?:{PREP} )?(?P<core>{MONTH} \d{{1,2}}(?:st|nd|rd|th)?(?:,? \d{{4}})?)(?!\d)"), "parse"),
    (re.compile(rf"\b(?:{PREP} )?(?P<core>{MONTH},? \d{{4}})\b"), "parse"),
    (re.compile(rf"\b(?:{PREP} )?(?P<core>\d{{1,2}} {MONTH}(?: \d{{4}})?)\b"), "parse"),
    (re.compile(rf"\b{PREP} (?:the )?(?P<core>{MONTH})\b(?! \d)"), "month"),
    (re.compile(r"\b(?:[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil|[Dd]uring|[Bb]efore|[Aa]fter|[Oo]f) "
                r"(?P<core>(?:1[89]|20)\d\d)\b"), "year"),
    (re.compile(r"\b(?P<core>(?:[Ll]ast|[Tt]his|[Nn]ext|[Pp]ast) (?:week|weekend|month|year))(?:'s)?\b"),
     "period"),
    (re.compile(r"\b(?P<core>(?:the )?past (?:few|several|two|three) days)\b", re.I), "recent"),
    (re.compile(r"\b(?P<core>yesterday|today|tomorrow)\b", re.I), "parse"),
    (re.compile(r"\b(?P<core>(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|few|several) "
                r"(?:days?|weeks?|months?|years?) ago)\b", re.I), "parse"),
    (re.compile(rf"\b(?:(?:[Oo]n|[Ll]ast|[Nn]ext|[Tt]his) )?(?P<core>{WEEKDAY})\b(?!,? (?:{MONTH}|\d))"),
     "weekday"),
    (re.compile(r"\b(?P<core>New Year)(?:'s|’s)?(?! Eve)\b"), "newyear"),
    (re.compile(r"\b(?P<core>(?:[Ll]ater|[Ee]arlier) that day|[Tt]hat (?:same )?day|"
                r"[Tt]he (?:same|next|following) day|[Tt]he day before)\b"), "anaphor"),
]


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date phrase in the text, its span, and the interval [first, last] it stands for."""

    start: int
    end: int
    text: str
    first: dt.date
    last: dt.date
    precision: str  # day | week | weekend | month | year | days

    @property
    def label(self) -> str:
        """ISO text of the mention: a day, a month, a year, or `first/last`."""
        if self.precision == "day":
            return self.first.isoformat()
        if self.precision == "month":
            return self.first.strftime("%Y-%m")
        if self.precision == "year":
            return str(self.first.year)
        return f"{self.first.isoformat()}/{self.last.isoformat()}"


def parse_date_option(value: str) -> dt.date:
    """A `--date` value, YYYY-MM-DD; anything else is a StandoffError."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise StandoffError(f"cannot read the date {value!r}", where="--date",
                            fix="give the document's date as YYYY-MM-DD, e.g. 2018-05-22") from None


def _dateparse(phrase: str, base: dt.date) -> tuple[dt.date, str] | None:
    """dateparser's reading of a phrase relative to `base`: (date, period) or None."""
    settings = {"RELATIVE_BASE": dt.datetime(base.year, base.month, base.day),
                "PREFER_DAY_OF_MONTH": "first", "PREFER_DATES_FROM": "current_period",
                "RETURN_TIME_AS_PERIOD": False}
    from dateparser import parse
    from dateparser.date import DateDataParser

    data = DateDataParser(languages=["en"], settings=settings).get_date_data(phrase)
    if data.date_obj is None:
        when = parse(phrase, languages=["en"], settings=settings)
        return None if when is None else (when.date(), "day")
    return data.date_obj.date(), data.period or "day"


def _month_span(day: dt.date) -> tuple[dt.date, dt.date]:
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def _week_span(day: dt.date) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def _nearest_month(month: int, base: dt.date, ahead: bool) -> tuple[dt.date, dt.date]:
    """The month `month` nearest `base` on or before it (on or after it when `ahead`)."""
    year = base.year
    if not ahead and month > base.month:
        year -= 1
    elif ahead and month < base.month:
        year += 1
    return _month_span(dt.date(year, month, 1))


def _weekday(name: str, base: dt.date, which: str = "") -> dt.date:
    """The weekday `name` nearest `base` on or before it; `last`: strictly before, `next`: strictly
    after, `this`: within base's week (Monday to Sunday)."""
    wanted = WEEKDAYS.index(name.lower())
    if which == "next":
        return base + dt.timedelta(days=(wanted - base.weekday()) % 7 or 7)
    if which == "this":
        return base + dt.timedelta(days=wanted - base.weekday())
    back = (base.weekday() - wanted) % 7
    if which == "last" and back == 0:
        back = 7
    return base - dt.timedelta(days=back)


def _nearest_day(day: dt.date, base: dt.date) -> dt.date:
    """The same month and day in the year (base's, the one before or after) nearest `base`."""
    options = []
    for year in (base.year - 1, base.year, base.year + 1):
        try:
            options.append(day.replace(year=year))
        except ValueError:  # 29 February
            continue
    return min(options, key=lambda d: (abs((d - base).days), d > base))


def _resolve(kind: str, core: str, base: dt.date, previous: dt.date | None, whole: str = ""
             ) -> tuple[dt.date, dt.date, str] | None:
    low = core.lower()
    if kind == "month":
        month = MONTHS.index(low[:3]) + 1
        ahead = bool(re.match(r"(?:by|until)\b", whole.lower()))
        return (*_nearest_month(month, base, ahead), "month")
    if kind == "weekday":
        which = whole.lower().split()[0] if " " in whole else ""
        day = _weekday(core, base, which if which in ("last", "next", "this") else "")
        return day, day, "day"
    if kind == "year":
        year = int(core)
        return dt.date(year, 1, 1), dt.date(year, 12, 31), "year"
    if kind == "newyear":
        return dt.date(base.year, 1, 1), dt.date(base.year, 1, 1), "day"
    if kind == "recent":
        words = low.split()
        n = NUMBER_WORDS.get(words[-2], 3) if not words[-2].isdigit() else int(words[-2])
        # "the past few days": up to and including the document date; "few" read as five
        n = 5 if words[-2] in ("few", "several") else n
        return base - dt.timedelta(days=n), base, "days"
    if kind == "anaphor":
        if previous is None:
            return None
        shift = 1 if ("next" in low or "following" in low) else -1 if "before" in low else 0
        day = previous + dt.timedelta(days=shift)
        return day, day, "day"
    if kind == "period":
        which, unit = low.split()
        step = {"last": -1, "past": -1, "this": 0, "next": 1}[which]
        if unit == "weekend":
            saturday = base - dt.timedelta(days=(base.weekday() - 5) % 7 or 7) \
                if step <= 0 else base + dt.timedelta(days=(5 - base.weekday()) % 7 or 7)
            if step == 0:
                saturday = base + dt.timedelta(days=5 - base.weekday()) if base.weekday() < 5 else \
                    base - dt.timedelta(days=base.weekday() - 5)
            return saturday, saturday + dt.timedelta(days=1), "weekend"
        phrase = {"last": f"1 {unit} ago", "past": f"1 {unit} ago", "this": "today",
                  "next": f"in 1 {unit}"}[which]
        got = _dateparse(phrase, base)
        if got is None:
            return None
        day = got[0]
        if unit == "week":
            return (*_week_span(day), "week")
        if unit == "month":
            return (*_month_span(day), "month")
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), "year"
    got = _dateparse(re.sub(r"^(?:on) ", "", core, flags=re.I), base)
    if got is None:
        return None
    day, period = got
    if period == "day" and re.search(MONTH, core) and not re.search(r"\d{4}", core):
        day = _nearest_day(day, base)  # a month and day without a year
    if period == "month":
        return (*_month_span(day), "month")
    if period == "year":
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), "year"
    return day, day, "day"


def find_dates(text: str, base: dt.date) -> list[DateMention]:
    """Every date phrase of the text, in order, resolved against the document date `base`."""
    hits: list[tuple[int, int, str, str, str]] = []
    taken: list[tuple[int, int]] = []
    for pattern, kind in PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            hits.append((m.start(), m.end(), kind, m.group("core"), m.group(0)))
    hits.sort()
    out: list[DateMention] = []
    previous: dt.date | None = None
    for start, end, kind, core, whole in hits:
        got = _resolve(kind, core, base, previous, whole)
        if got is None:
            continue
        first, last, precision = got
        out.append(DateMention(start, end, text[start:end], first, last, precision))
        if precision == "day" and kind != "newyear":
            previous = first
    return out


_DATELINE = re.compile(r"(?:updated|published|posted|dated|date)\s*:?\s*(?:on\s+)?"
                       r"(?P<when>[^\n]{4,40})", re.I)


def document_date(text: str) -> dt.date | None:
    """The date on the document's date line (updated/published/dated ...) when it names a year."""
    head = "\n".join(text.splitlines()[:25])
    for m in _DATELINE.finditer(head):
        when = m.group("when").strip()
        if not re.search(r"\b(?:19|20)\d\d\b", when):
            continue
        got = _dateparse(when, dt.date.today())
        if got is not None:
            return got[0]
    return None

"""Supervision-cycle periods and the registry of work run with a cycle.

A period is written as the users write it:
  monthly     "2012-03"
  quarterly   "2012-Q1"
  semiannual  "2012-H1"
  annual      "2012"
`parse_period(kind, text)` checks it against the kind and returns a Period
(normalised text, first and last day). Bad text raises ValidationError with a
Chinese message.

Other apps register what must run when a cycle of some kind runs:

    @cycle_handler(CycleKind.ANNUAL)
    def score_units(*, cycle, actor):
        ...

Handlers are called by inspections.services.cycles.cycle_run, in the order
they were registered, inside the cycle's transaction; they must be
idempotent (a cycle may run again) and may return a short summary string.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from inspections.choices import CycleKind

MIN_YEAR, MAX_YEAR = 2000, 2100

_PATTERNS = {
    CycleKind.MONTHLY: re.compile(r"^(\d{4})-(\d{1,2})$"),
    CycleKind.QUARTERLY: re.compile(r"^(\d{4})-[Qq](\d)$"),
    CycleKind.SEMIANNUAL: re.compile(r"^(\d{4})-[Hh](\d)$"),
    CycleKind.ANNUAL: re.compile(r"^(\d{4})$"),
}
_EXAMPLES = {
    CycleKind.MONTHLY: "2012-03",
    CycleKind.QUARTERLY: "2012-Q1",
    CycleKind.SEMIANNUAL: "2012-H1",
    CycleKind.ANNUAL: "2012",
}


@dataclass(frozen=True)
class Period:
    kind: str
    text: str  # normalised: 2012-03, 2012-Q1, 2012-H1, 2012
    start: datetime.date
    end: datetime.date

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def label(self) -> str:
        """How a document names the period: 2012年3月, 2012年第1季度 …"""
        return period_label(self.kind, self.text)

    def previous(self) -> Period:
        """The period of the same kind just before this one."""
        return period_containing(self.kind, self.start - datetime.timedelta(days=1))


def _month_end(year: int, month: int) -> datetime.date:
    if month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)


def _months(kind: str, year: int, part: int) -> tuple[int, int]:
    """First and last month of part `part` of `year` for `kind`."""
    if kind == CycleKind.MONTHLY:
        return part, part
    if kind == CycleKind.QUARTERLY:
        return 3 * part - 2, 3 * part
    if kind == CycleKind.SEMIANNUAL:
        return 6 * part - 5, 6 * part
    return 1, 12


def _make(kind: str, year: int, part: int) -> Period:
    first, last = _months(kind, year, part)
    text = {
        CycleKind.MONTHLY: f"{year}-{part:02d}",
        CycleKind.QUARTERLY: f"{year}-Q{part}",
        CycleKind.SEMIANNUAL: f"{year}-H{part}",
        CycleKind.ANNUAL: f"{year}",
    }[kind]
    return Period(kind, text, datetime.date(year, first, 1), _month_end(year, last))


def parse_period(kind: str, text: str) -> Period:
    """The Period written `text` for a cycle of `kind`; ValidationError if bad."""
    if kind not in CycleKind.values:
        raise ValidationError(
            _("未知的周期类型“%(kind)s”,可选:%(kinds)s。")
            % {"kind": kind, "kinds": "、".join(CycleKind.values)},
            code="kind",
        )
    raw = (text or "").strip()
    match = _PATTERNS[kind].match(raw)
    label = CycleKind(kind).label
    if not match:
        raise ValidationError(
            _("“%(text)s”不是有效的%(label)s期间,格式应如 %(example)s。")
            % {"text": raw, "label": label, "example": _EXAMPLES[kind]},
            code="format",
        )
    year = int(match.group(1))
    part = int(match.group(2)) if kind != CycleKind.ANNUAL else 1
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(
            _("年份须在 %(low)d 至 %(high)d 之间。") % {"low": MIN_YEAR, "high": MAX_YEAR},
            code="year",
        )
    highest = {CycleKind.MONTHLY: 12, CycleKind.QUARTERLY: 4, CycleKind.SEMIANNUAL: 2}.get(kind, 1)
    if not 1 <= part <= highest:
        messages = {
            CycleKind.MONTHLY: _("月份须在 1 至 12 之间。"),
            CycleKind.QUARTERLY: _("季度须为 Q1 至 Q4。"),
            CycleKind.SEMIANNUAL: _("半年须为 H1(上半年)或 H2(下半年)。"),
        }
        raise ValidationError(messages[kind], code="part")
    return _make(kind, year, part)


def period_containing(kind: str, day: datetime.date) -> Period:
    """The period of `kind` that contains `day`."""
    part = {
        CycleKind.MONTHLY: day.month,
        CycleKind.QUARTERLY: (day.month - 1) // 3 + 1,
        CycleKind.SEMIANNUAL: 1 if day.month <= 6 else 2,
    }.get(kind, 1)
    return _make(kind, day.year, part)


def previous_period(kind: str, today: datetime.date) -> Period:
    """The last complete period of `kind` before `today` (what a scheduled
    run on the 1st covers: the previous month, quarter, half-year or year)."""
    return period_containing(kind, today).previous()


def period_label(kind: str, text: str) -> str:
    year, _sep, part = text.partition("-")
    if kind == CycleKind.MONTHLY:
        return _("%(year)s年%(month)d月") % {"year": year, "month": int(part)}
    if kind == CycleKind.QUARTERLY:
        return _("%(year)s年第%(q)s季度") % {"year": year, "q": part[1:]}
    if kind == CycleKind.SEMIANNUAL:
        return (_("%(year)s年上半年") if part.upper() == "H1" else _("%(year)s年下半年")) % {
            "year": year
        }
    return _("%(year)s年度") % {"year": year}


# --- Handlers -----------------------------------------------------------------------------

Handler = Callable[..., object]
_HANDLERS: dict[str, list[Handler]] = defaultdict(list)


def cycle_handler(kind: str) -> Callable[[Handler], Handler]:
    """Register `func(*, cycle, actor)` to run whenever a cycle of `kind` runs.
    Registering the same function twice has no effect."""
    if kind not in CycleKind.values:
        raise ValueError(f"unknown cycle kind {kind!r}")

    def register(func: Handler) -> Handler:
        if func not in _HANDLERS[kind]:
            _HANDLERS[kind].append(func)
        return func

    return register


def handlers_for(kind: str) -> list[Handler]:
    return list(_HANDLERS.get(kind, ()))


def unregister(kind: str, func: Handler) -> None:
    """Remove a handler (tests)."""
    if func in _HANDLERS.get(kind, ()):
        _HANDLERS[kind].remove(func)

"""State shared by the demo builders: the seeded RNG and what earlier
builders made, looked up by natural key rather than queried again."""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from demo import data

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass
class DemoContext:
    rng: random.Random = field(default_factory=lambda: random.Random(data.SEED))

    # accountability
    root: object = None
    commission_office: object = None
    units_by_name: dict = field(default_factory=dict)
    counties: list = field(default_factory=list)
    departments: list = field(default_factory=list)
    townships: list = field(default_factory=list)
    townships_by_county: dict = field(default_factory=lambda: defaultdict(list))
    # Units a lead can split downward to and sign letters with (no service points).
    subordinates: dict = field(default_factory=lambda: defaultdict(list))
    sections: dict = field(default_factory=lambda: defaultdict(list))  # unit pk → sections
    heads: dict = field(default_factory=dict)  # unit pk → principal official
    deputies: dict = field(default_factory=dict)  # unit pk → discipline official
    chiefs: dict = field(default_factory=dict)  # section pk → chief
    secretary: object = None  # 舒仁庆
    city_officials: list = field(default_factory=list)
    users: dict = field(default_factory=dict)  # username → user
    editors: dict = field(default_factory=dict)  # unit pk → editor user

    # projects
    tiers: dict = field(default_factory=dict)
    programs: dict = field(default_factory=dict)
    mechanisms: dict = field(default_factory=dict)
    brands: dict = field(default_factory=dict)  # county pk → brand model
    projects: list = field(default_factory=list)
    targets: dict = field(default_factory=lambda: defaultdict(list))  # project pk → targets
    assignments: dict = field(default_factory=lambda: defaultdict(list))  # project pk → list

    # assessments / inspections
    schemes: dict = field(default_factory=dict)  # year → scheme
    indicators: dict = field(default_factory=lambda: defaultdict(list))  # year → indicators
    assessments: dict = field(default_factory=lambda: defaultdict(list))  # year → ranked list
    cycles: dict = field(default_factory=dict)  # (kind, period) → cycle
    findings: list = field(default_factory=list)
    letters: list = field(default_factory=list)  # supervision letters

    # (done, total) per (unit pk, year), the inputs of the automatic scoring rules
    letter_stats: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    ledger_stats: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    finding_stats: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0]))

    # --- deterministic helpers ------------------------------------------------------
    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def day(self, year: int, first_month: int = 1, last_month: int = 12) -> date:
        """A random day between the 1st of `first_month` and the end of `last_month`."""
        start = date(year, first_month, 1)
        end = date(year + 1, 1, 1) if last_month == 12 else date(year, last_month + 1, 1)
        return start + timedelta(days=self.rng.randrange((end - start).days))

    def between(self, start: date, end: date) -> date:
        if end <= start:
            return start
        return start + timedelta(days=self.rng.randrange((end - start).days + 1))

    def moment(self, day: date, hour: int = 10) -> datetime:
        return datetime.combine(day, time(hour, self.rng.randrange(60)), tzinfo=SHANGHAI)

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def all_projects_of_year(self, year: int) -> list:
        return [p for p in self.projects if p.year == year]


def cap(day: date) -> date:
    """Nothing in the demo happens after the seed's date."""
    return min(day, data.AS_OF)


def money(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def half_points(value) -> Decimal:
    """Round to the nearest half point, as score sheets are kept."""
    return (Decimal(value) * 2).quantize(Decimal("1"), rounding=ROUND_HALF_UP) / 2

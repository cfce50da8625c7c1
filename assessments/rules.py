"""The automatic scoring rules: small named functions in one registry.

A rule reads the year's facts for one unit and returns the lines of its
deduction ledger (or, for a bonus rule, its award lines), with the inputs it
used. The scoring service turns the lines into points, always the same way:

    regular indicator   points = max − min(max, Σ lines)
    deduction item      points deducted = min(cap, Σ lines)   (cap = max_points)
    bonus item          points awarded  = min(cap, Σ lines)
    veto item           vetoed when any line is returned

Adding a rule is adding one function here with `@register(code, label)`:

    @register("meetings_held", _("联席会议按时召开"))
    def meetings_held(indicator, facts, unit) -> RuleResult:
        rows = facts.memo("meetings", lambda: ...one query for all units...)
        ...

`facts` (YearFacts) loads each data set once for every unit of the run, so a
rule costs one query whatever the number of units. Amounts are Decimals
quantized to the cent with ROUND_HALF_UP: the same inputs always give the
same points.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def cents(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Line:
    points: Decimal
    reason: str
    evidence: str = ""


@dataclass
class RuleResult:
    lines: list[Line] = field(default_factory=list)
    inputs: dict = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return cents(sum((line.points for line in self.lines), ZERO))


@dataclass(frozen=True)
class Rule:
    code: str
    label: str
    function: Callable
    description: str


RULES: dict[str, Rule] = {}


def register(code: str, label):
    """Register `function(indicator, facts, unit) -> RuleResult` under `code`."""

    def decorator(function):
        if code in RULES:
            raise ValueError(f"scoring rule {code!r} registered twice")
        RULES[code] = Rule(code, label, function, (function.__doc__ or "").strip())
        return function

    return decorator


def rule_choices():
    return [(rule.code, f"{rule.code} · {rule.label}") for rule in RULES.values()]


class YearFacts:
    """The data of one assessment year for a set of units, each data set
    loaded by one query on first use and kept for the whole run."""

    def __init__(self, year: int, unit_ids, *, as_of: date):
        self.year = year
        self.unit_ids = list(unit_ids)
        self.as_of = as_of
        self._memo: dict = {}

    def memo(self, key: str, load: Callable):
        if key not in self._memo:
            self._memo[key] = load()
        return self._memo[key]

    def by_unit(self, key: str, load: Callable) -> dict:
        """`load()` returns rows with a `unit_id`; group them by unit."""

        def grouped():
            result = defaultdict(list)
            for row in load():
                result[row["unit_id"]].append(row)
            return result

        return self.memo(key, grouped)


def _per_item(indicator, default="1") -> Decimal:
    return cents(indicator.params.get("per_item", default))


def _share(maximum: Decimal, count: int, fraction: Decimal = Decimal(1)) -> Decimal:
    """One item's part of `maximum` when `count` items share it, times the
    fraction of the item that is missing."""
    return cents(maximum * fraction / count)


def _fmt(day) -> str:
    return day.isoformat() if day else "—"


# --- The rules ------------------------------------------------------------------------


@register("plan_tasks_completed", _("方案任务按期完成"))
def plan_tasks_completed(indicator, facts, unit) -> RuleResult:
    """Plan tasks led by the unit and due in the year (by the assessment date):
    each task not completed by its deadline loses an equal share of the points."""
    rows = _plan_task_rows(facts)
    tasks = rows.get(unit.pk, [])
    late = [t for t in tasks if not t["completed_on"] or t["completed_on"] > t["deadline"]]
    lines = [
        Line(
            _share(indicator.max_points, len(tasks)),
            _("方案任务%(number)s未按期完成(时限%(deadline)s,完成%(done)s)")
            % {
                "number": t["number"],
                "deadline": _fmt(t["deadline"]),
                "done": _fmt(t["completed_on"]),
            },
            _("方案任务 %(number)s") % {"number": t["number"]},
        )
        for t in late
    ]
    return RuleResult(lines, {"due": len(tasks), "on_time": len(tasks) - len(late)})


def _plan_task_rows(facts) -> dict:
    from projects.models import PlanTask

    return facts.by_unit(
        "plan_tasks",
        lambda: [
            {"unit_id": unit_id, "number": number, "deadline": deadline, "completed_on": done}
            for unit_id, number, deadline, done in PlanTask.objects.filter(
                lead_unit_id__in=facts.unit_ids,
                deadline__year=facts.year,
                deadline__lte=facts.as_of,
            )
            .order_by("number", "pk")
            .values_list("lead_unit_id", "number", "deadline", "completed_on")
        ],
    )


@register("targets_attained", _("量化目标完成(经核实台账)"))
def targets_attained(indicator, facts, unit) -> RuleResult:
    """Quantified targets of the projects the unit leads in the year, measured
    by verified ledger quantities only: each target loses its share of the
    points in proportion to what is missing (attainment capped at 100 %)."""
    from projects.models import Target
    from projects.selectors import annotate_target_attainment

    rows = facts.by_unit(
        "targets",
        lambda: [
            {
                "unit_id": t.project.lead_unit_id,
                "project": t.project.number,
                "description": t.description,
                "attainment": cents(t.attainment or 0),
            }
            for t in annotate_target_attainment(
                Target.objects.filter(
                    project__lead_unit_id__in=facts.unit_ids, project__year=facts.year
                )
                .select_related("project")
                .order_by("project__number", "sort_order", "pk")
            )
        ],
    )
    targets = rows.get(unit.pk, [])
    lines = []
    for t in targets:
        missing = Decimal(100) - t["attainment"]
        if missing > 0:
            lines.append(
                Line(
                    _share(indicator.max_points, len(targets), missing / 100),
                    _("项目%(project)s目标“%(target)s”完成%(att)s%%")
                    % {"project": t["project"], "target": t["description"], "att": t["attainment"]},
                    _("项目 %(project)s 已核实台账") % {"project": t["project"]},
                )
            )
    average = (
        cents(sum((t["attainment"] for t in targets), ZERO) / len(targets)) if targets else None
    )
    return RuleResult(
        lines, {"targets": len(targets), "average_attainment": str(average) if average else None}
    )


@register("ledger_timely", _("台账按时报送并经核实"))
def ledger_timely(indicator, facts, unit) -> RuleResult:
    """Ledger entries the unit submitted in the year: each entry that is not
    verified, or is dated after its assignment's (or project's) deadline,
    loses an equal share of the points."""
    from projects.choices import LedgerStatus
    from projects.models import LedgerEntry

    rows = facts.by_unit(
        "ledger",
        lambda: [
            {
                "unit_id": unit_id,
                "project": number,
                "entry_date": day,
                "status": status,
                "deadline": split_deadline or project_end,
            }
            for unit_id, number, day, status, split_deadline, project_end in LedgerEntry.objects.filter(  # noqa: E501
                unit_id__in=facts.unit_ids, entry_date__year=facts.year, entry_date__lte=facts.as_of
            )
            .exclude(status=LedgerStatus.DRAFT)
            .order_by("entry_date", "pk")
            .values_list(
                "unit_id",
                "project__number",
                "entry_date",
                "status",
                "assignment__deadline",
                "project__end_date",
            )
        ],
    )
    entries = rows.get(unit.pk, [])
    lines = []
    for e in entries:
        if e["status"] != LedgerStatus.VERIFIED:
            why = _("项目%(project)s %(day)s台账未经核实") % {
                "project": e["project"],
                "day": _fmt(e["entry_date"]),
            }
        elif e["entry_date"] > e["deadline"]:
            why = _("项目%(project)s %(day)s台账晚于时限%(deadline)s") % {
                "project": e["project"],
                "day": _fmt(e["entry_date"]),
                "deadline": _fmt(e["deadline"]),
            }
        else:
            continue
        lines.append(
            Line(
                _share(indicator.max_points, len(entries)),
                why,
                _("项目 %(project)s 台账") % {"project": e["project"]},
            )
        )
    return RuleResult(lines, {"entries": len(entries), "good": len(entries) - len(lines)})


@register("letters_answered", _("督办函按时回复"))
def letters_answered(indicator, facts, unit) -> RuleResult:
    """Supervision letters issued to the unit in the year whose reply time
    limit has passed: each one not answered by its limit costs `per_item`
    points (default 2)."""
    from inspections.choices import LetterStatus
    from inspections.models import SupervisionLetter

    rows = facts.by_unit(
        "supervision_letters",
        lambda: (
            SupervisionLetter.objects.filter(
                unit_id__in=facts.unit_ids,
                issued_on__year=facts.year,
                reply_deadline__lte=facts.as_of,
            )
            .exclude(status=LetterStatus.DRAFT)
            .order_by("issued_on", "pk")
            .values("unit_id", "number", "reply_deadline", "replied_on")
        ),
    )
    letters = rows.get(unit.pk, [])
    per_item = _per_item(indicator, "2")
    lines = [
        Line(
            per_item,
            _("督办函%(number)s未按时回复(时限%(deadline)s,回复%(replied)s)")
            % {
                "number": x["number"],
                "deadline": _fmt(x["reply_deadline"]),
                "replied": _fmt(x["replied_on"]),
            },
            _("督办函 %(number)s") % {"number": x["number"]},
        )
        for x in letters
        if not x["replied_on"] or x["replied_on"] > x["reply_deadline"]
    ]
    return RuleResult(
        lines, {"letters": len(letters), "late": len(lines), "per_item": str(per_item)}
    )


@register("findings_rectified", _("督查问题按期整改销号"))
def findings_rectified(indicator, facts, unit) -> RuleResult:
    """Findings at the unit due for rectification in the year: each one not
    verified (销号) by its deadline costs `per_item` points (default 2)."""
    from inspections.choices import FindingStatus
    from inspections.models import Finding

    rows = facts.by_unit(
        "findings",
        lambda: (
            Finding.objects.filter(
                unit_id__in=facts.unit_ids, deadline__year=facts.year, deadline__lte=facts.as_of
            )
            .order_by("deadline", "pk")
            .values("unit_id", "pk", "description", "deadline", "status", "closed_on")
        ),
    )
    findings = rows.get(unit.pk, [])
    per_item = _per_item(indicator, "2")
    lines = [
        Line(
            per_item,
            _("督查问题未按期整改销号(时限%(deadline)s,销号%(closed)s):%(text)s")
            % {
                "deadline": _fmt(x["deadline"]),
                "closed": _fmt(x["closed_on"]),
                "text": x["description"][:40],
            },
            _("督查问题 #%(pk)s") % {"pk": x["pk"]},
        )
        for x in findings
        if x["status"] != FindingStatus.VERIFIED
        or not x["closed_on"]
        or x["closed_on"] > x["deadline"]
    ]
    return RuleResult(
        lines, {"findings": len(findings), "late": len(lines), "per_item": str(per_item)}
    )


@register("responsibility_letters_signed", _("责任书签订"))
def responsibility_letters_signed(indicator, facts, unit) -> RuleResult:
    """Responsibility letters of the year the unit is party to (as issuer or
    recipient unit): each unsigned letter loses an equal share; a unit with no
    letter at all loses every point."""
    from accountability.choices import LetterStatus
    from accountability.models import ResponsibilityLetter

    def load():
        rows = []
        for _issuer, recipient, title, status in (
            ResponsibilityLetter.objects.filter(year=facts.year)
            .filter(recipient_unit_id__in=facts.unit_ids)
            .order_by("pk")
            .values_list("issuer_unit_id", "recipient_unit_id", "title", "status")
        ):
            rows.append(
                {"unit_id": recipient, "title": title, "signed": status == LetterStatus.SIGNED}
            )
        return rows

    letters = facts.by_unit("responsibility_letters", load).get(unit.pk, [])
    if not letters:
        return RuleResult(
            [Line(indicator.max_points, _("本年度未签订责任书"), _("责任书台账"))],
            {"letters": 0, "signed": 0},
        )
    lines = [
        Line(
            _share(indicator.max_points, len(letters)),
            _("责任书未签订:%(title)s") % {"title": x["title"]},
            _("责任书台账"),
        )
        for x in letters
        if not x["signed"]
    ]
    return RuleResult(lines, {"letters": len(letters), "signed": len(letters) - len(lines)})


@register("criticized_in_notices", _("被通报批评"))
def criticized_in_notices(indicator, facts, unit) -> RuleResult:
    """A deduction item: each published notice of the year criticising the
    unit costs `per_item` points (default 1), up to the item's cap."""
    from inspections.choices import NoticeStatus
    from inspections.models import NoticeUnit

    rows = facts.by_unit(
        "criticisms",
        lambda: (
            NoticeUnit.objects.filter(
                unit_id__in=facts.unit_ids,
                is_criticism=True,
                notice__status=NoticeStatus.PUBLISHED,
                notice__issued_on__year=facts.year,
                notice__issued_on__lte=facts.as_of,
            )
            .order_by("notice__issued_on", "pk")
            .values("unit_id", "notice__number", "reason")
        ),
    )
    notices = rows.get(unit.pk, [])
    per_item = _per_item(indicator)
    lines = [
        Line(
            per_item,
            _("被通报批评:%(reason)s") % {"reason": x["reason"][:60]},
            _("通报 %(number)s") % {"number": x["notice__number"]},
        )
        for x in notices
    ]
    return RuleResult(lines, {"notices": len(notices), "per_item": str(per_item)})


@register("serious_findings_open", _("严重问题逾期未整改"))
def serious_findings_open(indicator, facts, unit) -> RuleResult:
    """A veto item: a serious finding of the year still not verified after
    its deadline vetoes the unit's grade."""
    from inspections.choices import FindingStatus, Severity
    from inspections.models import Finding

    rows = facts.by_unit(
        "serious_open",
        lambda: (
            Finding.objects.filter(
                unit_id__in=facts.unit_ids,
                severity=Severity.SERIOUS,
                deadline__year=facts.year,
                deadline__lt=facts.as_of,
            )
            .exclude(status=FindingStatus.VERIFIED)
            .order_by("deadline", "pk")
            .values("unit_id", "pk", "description", "deadline")
        ),
    )
    lines = [
        Line(
            ZERO,
            _("严重问题逾期未整改(时限%(deadline)s):%(text)s")
            % {"deadline": _fmt(x["deadline"]), "text": x["description"][:40]},
            _("督查问题 #%(pk)s") % {"pk": x["pk"]},
        )
        for x in rows.get(unit.pk, [])
    ]
    return RuleResult(lines, {"serious_open": len(lines)})

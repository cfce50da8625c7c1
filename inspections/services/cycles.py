"""Running a supervision cycle (一月一通报、一季一督查、半年一督导、一年一考核).

`cycle_run(kind=…, period=…)` gets or creates THE cycle of that kind and
period (a database constraint keeps it unique), freezes the figures it used
in `cycle.snapshot`, then runs the handlers registered for the kind
(inspections.cycles.cycle_handler): the monthly notice, the semiannual
reports, and what other apps add. Running it again updates rather than
duplicates; once a document of the cycle is published its snapshot is frozen
and a rerun leaves the figures alone.

Progress and warning lights come from the projects app (projects.selectors),
judged as of the last day of the period: only ledger entries dated by then
count, so a past month can be run again and gives the same figures."""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accountability.choices import UnitKind
from accountability.models import Unit
from inspections.choices import CycleKind, FindingStatus, NoticeStatus
from inspections.cycles import Period, handlers_for, parse_period
from inspections.models import Finding, Notice, SupervisionCycle, SupervisionLetter
from pingxiang_cf import audit
from pingxiang_cf.models import AuditAction
from pingxiang_cf.scope import get_user_scope
from pingxiang_cf.services import audited_create
from projects.models import Project
from projects.selectors import annotate_project_progress, attach_project_lights

logger = logging.getLogger(__name__)

SNAPSHOT_VERSION = 1
# The units a semiannual supervision report is written for.
REPORT_UNIT_KINDS = (UnitKind.COUNTY, UnitKind.MUNICIPAL_DEPT, UnitKind.PROVINCIAL_DEPT)
LIGHTS = ("green", "yellow", "red")


def can_run_cycles(user) -> bool:
    """Running cycles by hand is the commission office's."""
    return get_user_scope(user).edits_all


def ensure_commission(actor) -> None:
    """None is a system job (beat, management command); a user must be the commission."""
    if actor is not None and not can_run_cycles(actor):
        raise PermissionDenied(_("只有纪委惩防办可以执行此操作。"))


def _one_decimal(value) -> float:
    return float(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _mean(values) -> float:
    values = list(values)
    return _one_decimal(sum(values) / len(values)) if values else 0.0


# --- Figures -------------------------------------------------------------------------------


def project_rows(*, year: int, as_of: datetime.date) -> list[dict]:
    """The year's projects started by `as_of`, with progress and light as of
    that day (two queries)."""
    projects = (
        Project.objects.filter(year=year, start_date__lte=as_of)
        .select_related("lead_unit")
        .order_by("lead_unit__code", "number", "pk")
    )
    rows = attach_project_lights(
        annotate_project_progress(projects, as_of=as_of), today=as_of, historical=True
    )
    return [
        {
            "id": p.pk,
            "code": str(p.code),
            "number": p.number,
            "name": p.name,
            "unit_id": p.lead_unit_id,
            "unit": p.lead_unit.name,
            "unit_code": p.lead_unit.code,
            "unit_path": p.lead_unit.path,
            "progress": int(p.progress),
            "planned": int(p.planned_progress),
            "light": str(p.light.color),
            "reason": str(p.light.reason),
        }
        for p in rows
    ]


def _light_counts(rows) -> dict:
    counts = dict.fromkeys(LIGHTS, 0)
    for row in rows:
        counts[row["light"]] += 1
    return counts


def _unit_rows(projects: list[dict]) -> list[dict]:
    by_unit: dict[int, list[dict]] = defaultdict(list)
    for row in projects:
        by_unit[row["unit_id"]].append(row)
    units = []
    for unit_id, rows in by_unit.items():
        first = rows[0]
        units.append(
            {
                "id": unit_id,
                "name": first["unit"],
                "code": first["unit_code"],
                "projects": len(rows),
                "progress": _mean(r["progress"] for r in rows),
                **_light_counts(rows),
                "red_projects": [r["number"] for r in rows if r["light"] == "red"],
            }
        )
    return sorted(units, key=lambda u: u["code"])


def _overall(projects: list[dict], units: list[dict]) -> dict:
    return {
        "projects": len(projects),
        "units": len(units),
        "progress": _mean(r["progress"] for r in projects),
        "planned": _mean(r["planned"] for r in projects),
        **_light_counts(projects),
        "units_with_red": sum(1 for u in units if u["red"]),
    }


def _comparison(period: Period, overall: dict, units: list[dict]) -> dict | None:
    """Against the previous cycle of the same kind in the same year (its
    frozen snapshot); None when there is none. Adds `prev_*` to unit rows."""
    previous = period.previous()
    if previous.year != period.year:
        return None  # a new year's projects: nothing comparable
    before = (
        SupervisionCycle.objects.filter(kind=period.kind, period=previous.text)
        .values_list("snapshot", flat=True)
        .first()
    )
    if not before or "overall" not in before:
        return None
    prev_units = {u["id"]: u for u in before.get("units", [])}
    for unit in units:
        prev = prev_units.get(unit["id"])
        unit["prev_progress"] = prev["progress"] if prev else None
        unit["prev_red"] = prev["red"] if prev else None
    old = before["overall"]
    return {
        "period": previous.text,
        "label": previous.label,
        "progress": old["progress"],
        "progress_delta": _one_decimal(overall["progress"] - old["progress"]),
        "red": old["red"],
        "red_delta": overall["red"] - old["red"],
        "green": old["green"],
        "green_delta": overall["green"] - old["green"],
        "units_with_red": old["units_with_red"],
    }


def _subtree(rows, path_key: str, path: str) -> list:
    return [r for r in rows if r[path_key].startswith(path)]


def report_figures(*, period: Period, projects: list[dict]) -> dict[str, dict]:
    """The half-year figures of every active county and department (each with
    the units below it): projects led with progress and lights, findings
    raised in the period (closed or open at its end), supervision letters
    issued in the period and their answers. Three queries."""
    start, end = period.start, period.end
    units = Unit.objects.filter(kind__in=REPORT_UNIT_KINDS, is_active=True).order_by("code")
    findings = list(
        Finding.objects.filter(inspection__started_on__range=(start, end))
        .order_by("deadline", "pk")
        .values(
            "pk",
            "description",
            "severity",
            "deadline",
            "status",
            "closed_on",
            "unit__name",
            "unit__path",
            "inspection__title",
        )
    )
    letters = list(
        SupervisionLetter.objects.filter(issued_on__range=(start, end))
        .order_by("issued_on", "pk")
        .values(
            "pk",
            "number",
            "title",
            "issued_on",
            "reply_deadline",
            "replied_on",
            "status",
            "unit__name",
            "unit__path",
        )
    )
    reports = {}
    for unit in units:
        led = _subtree(projects, "unit_path", unit.path)
        unit_findings = _subtree(findings, "unit__path", unit.path)
        unit_letters = _subtree(letters, "unit__path", unit.path)
        if not (led or unit_findings or unit_letters) and unit.kind != UnitKind.COUNTY:
            continue  # nothing to report on for this department this half-year
        closed = [
            f
            for f in unit_findings
            if f["status"] == FindingStatus.VERIFIED and f["closed_on"] and f["closed_on"] <= end
        ]
        answered = [x for x in unit_letters if x["replied_on"] and x["replied_on"] <= end]
        reports[str(unit.pk)] = {
            "unit": {"id": unit.pk, "name": unit.name, "code": unit.code, "kind": unit.kind},
            "projects": {
                "count": len(led),
                "progress": _mean(r["progress"] for r in led),
                "planned": _mean(r["planned"] for r in led),
                **_light_counts(led),
                "rows": [
                    {k: r[k] for k in ("number", "name", "unit", "progress", "planned", "light")}
                    for r in led
                ],
            },
            "findings": {
                "count": len(unit_findings),
                "closed": len(closed),
                "open": len(unit_findings) - len(closed),
                "overdue": sum(1 for f in unit_findings if f not in closed and f["deadline"] < end),
                "rows": [
                    {
                        "unit": f["unit__name"],
                        "inspection": f["inspection__title"],
                        "description": f["description"],
                        "severity": f["severity"],
                        "deadline": f["deadline"],
                        "closed": f in closed,
                        "closed_on": f["closed_on"] if f in closed else None,
                    }
                    for f in unit_findings
                ],
            },
            "letters": {
                "count": len(unit_letters),
                "answered": len(answered),
                "unanswered": len(unit_letters) - len(answered),
                "overdue": sum(
                    1 for x in unit_letters if x not in answered and x["reply_deadline"] < end
                ),
                "rows": [
                    {
                        "unit": x["unit__name"],
                        "number": x["number"],
                        "title": x["title"],
                        "issued_on": x["issued_on"],
                        "reply_deadline": x["reply_deadline"],
                        "replied_on": x["replied_on"] if x in answered else None,
                    }
                    for x in unit_letters
                ],
            },
        }
    return reports


def build_snapshot(period: Period) -> dict:
    """Every figure the cycle's documents use, JSON-safe."""
    projects = project_rows(year=period.year, as_of=period.end)
    units = _unit_rows(projects)
    overall = _overall(projects, units)
    snapshot = {
        "version": SNAPSHOT_VERSION,
        "kind": period.kind,
        "period": period.text,
        "label": period.label,
        "as_of": period.end,
        "year": period.year,
        "overall": overall,
        "comparison": _comparison(period, overall, units),
        "units": units,
        "projects": [{k: v for k, v in r.items() if k != "unit_path"} for r in projects],
    }
    if period.kind == CycleKind.SEMIANNUAL:
        snapshot["reports"] = report_figures(period=period, projects=projects)
    # Round-trip so that what is stored is exactly what is read back later.
    return json.loads(json.dumps(snapshot, cls=DjangoJSONEncoder))


def snapshot_digest(snapshot: dict) -> str:
    text = json.dumps(snapshot, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# --- The cycle -------------------------------------------------------------------------------


def cycle_frozen(cycle: SupervisionCycle) -> bool:
    """A cycle whose notice is published keeps the figures it was published with."""
    return (
        bool(cycle.snapshot)
        and Notice.objects.filter(cycle=cycle, status=NoticeStatus.PUBLISHED).exists()
    )


def cycle_get_or_create(period: Period, *, actor=None) -> tuple[SupervisionCycle, bool]:
    """THE cycle of the period. Two runs racing for it meet at the unique
    constraint: the loser reads the winner's row."""
    existing = SupervisionCycle.objects.filter(kind=period.kind, period=period.text).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            cycle = audited_create(
                SupervisionCycle,
                actor=actor,
                kind=period.kind,
                period=period.text,
                period_start=period.start,
                period_end=period.end,
                audit_reason=_("运行督查周期"),
            )
        return cycle, True
    except IntegrityError:
        return SupervisionCycle.objects.get(kind=period.kind, period=period.text), False


@transaction.atomic
def cycle_run(*, kind: str, period: str, actor=None, job=None) -> SupervisionCycle:
    """Run the cycle of `kind` for `period` ("2012-03", "2012-Q1", "2012-H1",
    "2012"): the cycle row, its frozen figures and every registered handler.
    Idempotent. `job` (a pingxiang_cf.jobs Job, optional) is passed on to
    the handlers that report progress."""
    ensure_commission(actor)
    parsed = parse_period(kind, period)
    cycle, _created = cycle_get_or_create(parsed, actor=actor)
    cycle = SupervisionCycle.objects.select_for_update().get(pk=cycle.pk)
    before = {"last_run_at": cycle.last_run_at, "snapshot": snapshot_digest(cycle.snapshot)}
    if not cycle_frozen(cycle):
        cycle.snapshot = build_snapshot(parsed)
    cycle.last_run_at = timezone.now()
    cycle.save(update_fields=["snapshot", "last_run_at", "updated_at"])
    after = {"last_run_at": cycle.last_run_at, "snapshot": snapshot_digest(cycle.snapshot)}
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=cycle,
        before=json.loads(json.dumps(before, cls=DjangoJSONEncoder)),
        after=json.loads(json.dumps(after, cls=DjangoJSONEncoder)),
        reason=_("运行督查周期"),
    )
    for handler in handlers_for(parsed.kind):
        handler(cycle=cycle, actor=actor)
    logger.debug("cycle %s %s run", parsed.kind, parsed.text)
    return cycle

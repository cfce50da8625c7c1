"""The seed's headline figures (DESIGN.md §6) and a check of the database
against them, unscoped: this is about the data set, not about a user."""

from __future__ import annotations

from django.db.models import Count, Q

from accountability.choices import LetterStatus, OfficialRank, UnitKind
from accountability.models import (
    AccountabilityCase,
    Commendation,
    LeadingGroup,
    ResponsibilityLetter,
    Unit,
)
from demo import data
from inspections.choices import InspectionKind, NoticeStatus
from inspections.models import Inspection, NoticeUnit
from projects.choices import PlanTaskStatus, ProjectCategory
from projects.models import PlanTask, Project

EXPECTED = {
    "plan_tasks": {"total": 113, "completed": 104},
    "projects": {"total": 255, "common": 125, "individual": 117, "extension": 13},
    "units": {"county": 5, "department": 87, "township": 46},
    "service_points": {"county_centres": 5, "township_centres": 47, "village_points": 625},
    "inspections": {"routine": 72, "concentrated": 4, "units_notified": 35},
    "commendations": {"units": 28, "leaders": 30},
    "accountability": {"units": 9, "leaders": 13},
    "leading_groups": 137,
}
MIN_SIGNED_LETTERS = 1100
COUNTY_LEVEL = [OfficialRank.COUNTY, OfficialRank.PROVINCIAL]


def demo_is_loaded() -> bool:
    return Unit.objects.filter(code=data.ROOT_CODE).exists()


def current_figures() -> dict:
    units = Unit.objects.filter(is_active=True).aggregate(
        county=Count("pk", filter=Q(kind=UnitKind.COUNTY)),
        department=Count(
            "pk", filter=Q(kind__in=[UnitKind.MUNICIPAL_DEPT, UnitKind.PROVINCIAL_DEPT])
        ),
        township=Count("pk", filter=Q(kind=UnitKind.TOWNSHIP)),
        county_centres=Count("pk", filter=Q(kind=UnitKind.COUNTY_SERVICE_CENTRE)),
        township_centres=Count("pk", filter=Q(kind=UnitKind.TOWNSHIP_SERVICE_CENTRE)),
        village_points=Count("pk", filter=Q(kind=UnitKind.VILLAGE_AGENT_POINT)),
    )
    inspections = Inspection.objects.aggregate(
        routine=Count("pk", filter=Q(kind=InspectionKind.ROUTINE)),
        concentrated=Count("pk", filter=Q(kind=InspectionKind.CONCENTRATED)),
    )
    inspections["units_notified"] = (
        NoticeUnit.objects.filter(is_criticism=True, notice__status=NoticeStatus.PUBLISHED)
        .values("unit")
        .distinct()
        .count()
    )
    return {
        "plan_tasks": PlanTask.objects.aggregate(
            total=Count("pk"), completed=Count("pk", filter=Q(status=PlanTaskStatus.COMPLETED))
        ),
        "projects": Project.objects.aggregate(
            total=Count("pk"),
            **{c.value: Count("pk", filter=Q(category=c)) for c in ProjectCategory},
        ),
        "units": {k: units[k] for k in ("county", "department", "township")},
        "service_points": {
            k: units[k] for k in ("county_centres", "township_centres", "village_points")
        },
        "inspections": inspections,
        "commendations": _outcomes(Commendation),
        "accountability": _outcomes(AccountabilityCase),
        "leading_groups": LeadingGroup.objects.filter(dissolved_on__isnull=True).count(),
        "responsibility_letters": ResponsibilityLetter.objects.filter(
            status=LetterStatus.SIGNED
        ).count(),
    }


def _outcomes(model) -> dict:
    return model.objects.aggregate(
        units=Count("pk", filter=Q(unit__isnull=False)),
        leaders=Count("pk", filter=Q(official__rank__in=COUNTY_LEVEL)),
    )


def differences(figures: dict) -> list[str]:
    """What differs from the seed's figures, one line each; empty when all match."""
    problems = []
    for key, expected in EXPECTED.items():
        actual = figures.get(key)
        if isinstance(expected, dict):
            problems += [
                f"{key}.{name}: {actual.get(name)} ≠ {value}"
                for name, value in expected.items()
                if actual.get(name) != value
            ]
        elif actual != expected:
            problems.append(f"{key}: {actual} ≠ {expected}")
    letters = figures.get("responsibility_letters", 0)
    if letters < MIN_SIGNED_LETTERS:
        problems.append(f"responsibility_letters: {letters} < {MIN_SIGNED_LETTERS}")
    return problems

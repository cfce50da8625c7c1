"""Headline figures across the apps (DESIGN.md §6), each computed by the
owning app's count selectors over the rows the user may see."""

from decimal import ROUND_HALF_UP, Decimal

from accountability.selectors import (
    accountability_case_counts,
    commendation_counts,
    leading_group_count,
    signed_letter_count,
    unit_counts,
)
from inspections.selectors import criticised_unit_count, inspection_counts
from projects.selectors import plan_task_counts, project_counts

UNIT_FIGURES = ("county", "department", "township")
SERVICE_POINT_FIGURES = ("county_centres", "township_centres", "village_points")


def completion_rate(completed: int, total: int) -> str:
    """Percentage with two decimals, rounded half up ("92.04"); "0.00" for no tasks."""
    if not total:
        return "0.00"
    rate = Decimal(completed) * 100 / Decimal(total)
    return str(rate.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def headline_summary(user) -> dict:
    tasks = plan_task_counts(user)
    units = unit_counts(user)
    inspections = inspection_counts(user)
    return {
        "plan_tasks": {
            "total": tasks["total"],
            "completed": tasks["completed"],
            "completion_rate": completion_rate(tasks["completed"], tasks["total"]),
        },
        "projects": project_counts(user),
        "units": {key: units[key] for key in UNIT_FIGURES},
        "service_points": {key: units[key] for key in SERVICE_POINT_FIGURES},
        "inspections": {
            "routine": inspections["routine"],
            "concentrated": inspections["concentrated"],
            "units_notified": criticised_unit_count(user),
        },
        "commendations": commendation_counts(user),
        "accountability": accountability_case_counts(user),
        "leading_groups": leading_group_count(user),
        "responsibility_letters": signed_letter_count(user),
    }

"""Reads for the inspections app. Each function scopes first (`restrict`),
then counts with one aggregate query."""

from django.db.models import Count, Q

from inspections.choices import InspectionKind, NoticeStatus
from inspections.models import Inspection, NoticeUnit


def inspection_counts(user) -> dict:
    """Inspections over units the user can see, by kind."""
    return Inspection.objects.restrict(user).aggregate(
        routine=Count("pk", filter=Q(kind=InspectionKind.ROUTINE)),
        concentrated=Count("pk", filter=Q(kind=InspectionKind.CONCENTRATED)),
        special=Count("pk", filter=Q(kind=InspectionKind.SPECIAL)),
    )


def criticised_unit_count(user) -> int:
    """Distinct units (that the user can see) named critically in a published notice."""
    return (
        NoticeUnit.objects.restrict(user)
        .filter(is_criticism=True, notice__status=NoticeStatus.PUBLISHED)
        .aggregate(units=Count("unit", distinct=True))["units"]
    )

"""Reads for the accountability app."""

from django.db.models import Count, Q

from accountability.choices import LetterStatus, OfficialRank, UnitKind
from accountability.models import (
    AccountabilityCase,
    Commendation,
    LeadingGroup,
    Membership,
    ResponsibilityLetter,
    Unit,
)
from pingxiang_cf.roles import ADMIN_ROLES
from pingxiang_cf.scope import UserScope


def user_scope(user) -> UserScope:
    """The roles a user holds and the paths of the units they hold them in."""

    rows = list(
        Membership.objects.filter(user=user, unit__is_active=True).values_list(
            "role", "unit__path", "unit__parent_id"
        )
    )
    return UserScope(
        is_superuser=user.is_superuser,
        grants=tuple((role, path) for role, path, _parent in rows),
        # An administrator role (三员) on the city is no business reach.
        holds_root=any(parent is None and role not in ADMIN_ROLES for role, _path, parent in rows),
    )


# --- Headline counts (dashboards) --------------------------------------------------
# Each function is one aggregate query over the rows the user may see.

COUNTY_LEVEL_RANKS = (OfficialRank.COUNTY, OfficialRank.PROVINCIAL)


def unit_counts(user) -> dict:
    """Active units the user can see, by the seed's categories: counties,
    municipal and provincial departments, townships, and the service points
    of the Grassroots Integrity Program."""

    def kind_is(*kinds):
        return Count("pk", filter=Q(kind__in=kinds))

    return (
        Unit.objects.restrict(user)
        .filter(is_active=True)
        .aggregate(
            county=kind_is(UnitKind.COUNTY),
            department=kind_is(UnitKind.MUNICIPAL_DEPT, UnitKind.PROVINCIAL_DEPT),
            township=kind_is(UnitKind.TOWNSHIP),
            county_centres=kind_is(UnitKind.COUNTY_SERVICE_CENTRE),
            township_centres=kind_is(UnitKind.TOWNSHIP_SERVICE_CENTRE),
            village_points=kind_is(UnitKind.VILLAGE_AGENT_POINT),
        )
    )


def _outcome_counts(model, user) -> dict:
    """Outcomes of units, and of county-level leaders (县级领导干部)."""
    return model.objects.restrict(user).aggregate(
        units=Count("pk", filter=Q(unit__isnull=False)),
        leaders=Count("pk", filter=Q(official__rank__in=COUNTY_LEVEL_RANKS)),
    )


def commendation_counts(user) -> dict:

    return _outcome_counts(Commendation, user)


def accountability_case_counts(user) -> dict:

    return _outcome_counts(AccountabilityCase, user)


def leading_group_count(user) -> int:
    """Leading groups in being (not dissolved)."""

    return LeadingGroup.objects.restrict(user).filter(dissolved_on__isnull=True).count()


def signed_letter_count(user) -> int:
    """Responsibility letters actually signed (签订), at every level."""

    return ResponsibilityLetter.objects.restrict(user).filter(status=LetterStatus.SIGNED).count()

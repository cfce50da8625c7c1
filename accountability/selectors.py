"""Reads for the accountability app."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext_lazy as _

from accountability.choices import LetterStatus, OfficialRank, OutcomeStatus, RiskLevel, UnitKind
from accountability.models import (
    AccountabilityCase,
    Commendation,
    LeadingGroup,
    LetterClause,
    Membership,
    Official,
    ResponsibilityLetter,
    RiskPoint,
    RiskPost,
    RiskPower,
    RiskProcess,
    RiskProcessStep,
    RiskReview,
    Unit,
)
from pingxiang_cf.fields import mask_phone
from pingxiang_cf.roles import ADMIN_ROLES, EDITOR_ROLES
from pingxiang_cf.scope import UserScope, get_user_scope


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
    return (
        model.objects.restrict(user)
        .filter(status=OutcomeStatus.DECIDED)
        .aggregate(
            units=Count("pk", filter=Q(unit__isnull=False)),
            leaders=Count("pk", filter=Q(official__rank__in=COUNTY_LEVEL_RANKS)),
        )
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


# --- Shared helpers for the pages ------------------------------------------------------------


def top_units(user):
    """The units directly below the city (counties and departments) that the
    user can see: the "by county and department" grouping of the pages."""
    return (
        Unit.objects.restrict(user).filter(depth=1, is_active=True).order_by("sort_order", "path")
    )


def top_unit_of(path: str, tops: dict[str, Unit]) -> Unit | None:
    """The depth-1 ancestor of a unit given its path ("/1/7/42/" → unit 7)."""
    parts = path.strip("/").split("/")
    if len(parts) < 2:
        return None
    return tops.get(f"/{parts[0]}/{parts[1]}/")


# --- Responsibility letters ------------------------------------------------------------


def letter_list(user):
    return (
        ResponsibilityLetter.objects.restrict(user)
        .select_related("issuer_unit", "recipient_unit", "recipient_section")
        .order_by("-year", "level", "recipient_unit__path", "pk")
    )


def letter_detail(user, code):
    return (
        ResponsibilityLetter.objects.restrict(user)
        .select_related(
            "issuer_unit",
            "recipient_unit",
            "recipient_section",
            "issuer_signatory",
            "recipient_signatory",
            "parent__recipient_unit",
        )
        .filter(code=code)
        .first()
    )


def letter_clauses(letter):
    return letter.clauses.select_related("target__project", "indicator__scheme").order_by("number")


def letter_years(user) -> list[int]:
    return list(
        ResponsibilityLetter.objects.restrict(user)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def signed_clauses_for(*, target=None, indicator=None, unit=None):
    """The signed clauses that promised a target or an indicator (for a
    unit): a missed target or a lost point leads back to them."""
    qs = LetterClause.objects.filter(letter__status=LetterStatus.SIGNED)
    if target is not None:
        qs = qs.filter(target=target)
    if indicator is not None:
        qs = qs.filter(indicator=indicator)
    if unit is not None:
        qs = qs.filter(letter__recipient_unit=unit)
    return qs.select_related("letter__recipient_unit").order_by("letter__year", "number")


@dataclass
class CompletenessRow:
    unit: Unit | None
    total: int = 0
    signed: int = 0
    issued: int = 0
    draft: int = 0

    @property
    def unsigned(self) -> int:
        return self.total - self.signed

    @property
    def rate(self) -> Decimal:
        if not self.total:
            return Decimal("0.00")
        return (Decimal(self.signed) * 100 / self.total).quantize(Decimal("0.01"), ROUND_HALF_UP)


def letter_completeness(
    user, year: int, *, level: str = ""
) -> tuple[list[CompletenessRow], CompletenessRow]:
    """Letters of `year` signed and not signed, grouped by the county or
    department the recipient belongs to (a letter to a section counts for its
    unit); two queries whatever the number of letters."""
    tops = {u.path: u for u in top_units(user)}
    letters = ResponsibilityLetter.objects.restrict(user).filter(year=year)
    if level:
        letters = letters.filter(level=level)
    counts = letters.values("recipient_unit__path", "status").annotate(n=Count("pk")).order_by()
    rows: dict[int | None, CompletenessRow] = {}
    total = CompletenessRow(unit=None)
    for row in counts:
        top = top_unit_of(row["recipient_unit__path"], tops)
        key = top.pk if top else None
        entry = rows.setdefault(key, CompletenessRow(unit=top))
        for target in (entry, total):
            target.total += row["n"]
            if row["status"] == LetterStatus.SIGNED:
                target.signed += row["n"]
            elif row["status"] == LetterStatus.ISSUED:
                target.issued += row["n"]
            else:
                target.draft += row["n"]
    ordered = sorted(
        rows.values(),
        key=lambda r: (
            r.unit is not None,
            r.unit.kind if r.unit else "",
            r.unit.path if r.unit else "",
        ),
    )
    return ordered, total


# --- Leading groups ----------------------------------------------------------------------


def group_list(user):
    return (
        LeadingGroup.objects.restrict(user)
        .select_related("unit")
        .annotate(
            current_members=Count("members", filter=Q(members__end_on__isnull=True)),
        )
        .order_by("unit__depth", "unit__path", "-established_on", "pk")
    )


def group_detail(user, pk):
    return LeadingGroup.objects.restrict(user).select_related("unit").filter(pk=pk).first()


def group_seats(group):
    """All seats, current and past, for the history: in office first, then by date."""
    return group.members.select_related("official__unit", "official__section").order_by(
        "end_on", "position", "start_on", "pk"
    )


# --- Risk maps ---------------------------------------------------------------------------


def risk_review_list(user):
    return (
        RiskReview.objects.restrict(user)
        .select_related("unit")
        .order_by("-year", "unit__path", "pk")
    )


def risk_units(user):
    """Units with a risk map the user can see."""
    return (
        Unit.objects.restrict(user)
        .filter(pk__in=RiskReview.objects.restrict(user).values("unit"))
        .order_by("path")
    )


def own_editor_units(user):
    """The units where the user holds an editor role (their own units)."""
    paths = get_user_scope(user).unit_paths(EDITOR_ROLES)
    return Unit.objects.filter(path__in=paths, is_active=True).order_by("path")


def risk_post_list(user):
    return (
        RiskPost.objects.restrict(user)
        .select_related("unit", "section")
        .annotate(
            point_count=Count("powers__risk_points", distinct=True),
            high_count=Count(
                "powers__risk_points",
                filter=Q(powers__risk_points__level=RiskLevel.HIGH),
                distinct=True,
            ),
        )
        .order_by("-year", "unit__path", "name", "pk")
    )


def level_counts(unit, year) -> dict[str, int]:
    rows = (
        RiskPoint.objects.filter(power__post__unit=unit, power__post__year=year)
        .values("level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {level.value: 0 for level in RiskLevel}
    for row in rows:
        counts[row["level"]] = row["n"]
    counts["total"] = sum(counts[level.value] for level in RiskLevel)
    return counts


@dataclass
class RiskMap:
    unit: Unit
    year: int
    review: RiskReview | None
    posts: list = field(default_factory=list)
    processes: list = field(default_factory=list)
    rules: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    previous: RiskReview | None = None
    previous_counts: dict | None = None
    years: list = field(default_factory=list)


def risk_map(user, unit, year: int) -> RiskMap:
    """A unit's map of one year: posts with their powers, points and controls
    (the points), processes with their steps (the lines), the rules the
    controls rest on (the surface), counts by level, and the previous year's
    counts for comparison. A fixed number of queries."""
    review = RiskReview.objects.filter(unit=unit, year=year).first()
    posts = list(
        RiskPost.objects.filter(unit=unit, year=year)
        .select_related("section")
        .prefetch_related(
            "projects",
            Prefetch(
                "powers",
                queryset=RiskPower.objects.prefetch_related(
                    Prefetch(
                        "risk_points",
                        queryset=RiskPoint.objects.order_by("-likelihood", "pk").prefetch_related(
                            "controls"
                        ),
                    )
                ).order_by("pk"),
            ),
        )
        .order_by("name", "pk")
    )
    processes = list(
        RiskProcess.objects.filter(unit=unit, year=year)
        .prefetch_related(
            Prefetch(
                "steps",
                queryset=RiskProcessStep.objects.select_related("post")
                .prefetch_related("risk_points")
                .order_by("number"),
            )
        )
        .order_by("name", "pk")
    )
    rules = sorted(
        {
            control.rule_name
            for post in posts
            for power in post.powers.all()
            for point in power.risk_points.all()
            for control in point.controls.all()
            if control.rule_name
        }
    )
    previous = RiskReview.objects.filter(unit=unit, year__lt=year).order_by("-year").first()
    years = list(
        RiskReview.objects.filter(unit=unit).order_by("-year").values_list("year", flat=True)
    )
    return RiskMap(
        unit=unit,
        year=year,
        review=review,
        posts=posts,
        processes=processes,
        rules=rules,
        counts=_counts_from_posts(posts),
        previous=previous,
        previous_counts=level_counts(unit, previous.year) if previous else None,
        years=years,
    )


def _counts_from_posts(posts) -> dict[str, int]:
    counts = {level.value: 0 for level in RiskLevel}
    for post in posts:
        for power in post.powers.all():
            for point in power.risk_points.all():
                counts[point.level] += 1
    counts["total"] = sum(counts[level.value] for level in RiskLevel)
    return counts


# --- The register ------------------------------------------------------------------------


def commendation_list(user):
    return (
        Commendation.objects.restrict(user)
        .select_related("unit", "official__unit")
        .order_by("-year", "pk")
    )


def case_list(user):
    return (
        AccountabilityCase.objects.restrict(user)
        .select_related("unit", "official__unit")
        .order_by("-year", "pk")
    )


@dataclass
class RegisterRow:
    key: object
    label: str
    commended_units: int = 0
    commended_leaders: int = 0
    accountable_units: int = 0
    accountable_leaders: int = 0


def _outcome_rows(model, user):
    return (
        model.objects.restrict(user)
        .filter(status=OutcomeStatus.DECIDED)
        .values("year", "unit__path", "official__unit__path", "official__rank")
        .annotate(n=Count("pk"))
        .order_by()
    )


def register_statistics(user) -> dict:
    """Decided commendations and accountability cases by year and by county
    or department: units, and county-level leaders (县级领导干部), as the
    seed counts them. Four queries."""
    tops = {u.path: u for u in top_units(user)}
    by_year: dict[int, RegisterRow] = {}
    by_top: dict[object, RegisterRow] = {}
    total = RegisterRow(key=None, label=str(_("合计")))
    for model, prefix in ((Commendation, "commended"), (AccountabilityCase, "accountable")):
        for row in _outcome_rows(model, user):
            if row["unit__path"]:
                kind, path = "units", row["unit__path"]
            elif row["official__rank"] in COUNTY_LEVEL_RANKS:
                kind, path = "leaders", row["official__unit__path"]
            else:
                continue
            top = top_unit_of(path, tops)
            year_row = by_year.setdefault(row["year"], RegisterRow(row["year"], str(row["year"])))
            top_row = by_top.setdefault(
                top.pk if top else None,
                RegisterRow(top, top.name if top else str(_("市本级"))),
            )
            for target in (year_row, top_row, total):
                name = f"{prefix}_{kind}"
                setattr(target, name, getattr(target, name) + row["n"])
    return {
        "by_year": [by_year[y] for y in sorted(by_year)],
        "by_unit": sorted(
            by_top.values(),
            key=lambda r: (
                r.key is not None,
                r.key.kind if r.key else "",
                r.key.path if r.key else "",
            ),
        ),
        "total": total,
    }


# --- Officials and their personal details ---------------------------------------------------


def official_list(user):
    return (
        Official.objects.restrict(user)
        .select_related("unit", "section")
        .order_by("unit__path", "pk")
    )


def personal_paths(user) -> set[str] | None:
    """Unit paths whose officials' details the user sees in full; None means
    all (the commission)."""
    scope = get_user_scope(user)
    if scope.edits_all:
        return None
    return {path for _role, path in scope.grants}


def with_personal_data(user, officials) -> list:
    """Set `.phone_shown` on each official: the number for the commission and
    the official's own unit, masked for everyone else (no query)."""
    paths = personal_paths(user)
    rows = list(officials)
    for official in rows:
        full = paths is None or official.unit.path in paths
        official.phone_shown = official.phone if full else mask_phone(official.phone)
        official.phone_masked = not full
    return rows

"""Per-node snapshots of the dashboard (DashboardSnapshot), written by the
refresh so that the page reads one row instead of computing.

For every node a leader lands on or drills into (units with units below
them, and the counties and departments directly under the root), the
refresh stores the node's part (crumbs, units below, headline, filter
options) and, for all years and for each year the node has projects in,
the view part with no tier, program or mechanism filter — built by the same
functions as the live page (dashboards.selectors), from reads made once per
node for every year. Under a tier, program or mechanism filter the page
reads the node part and computes the view part live; a year without
projects, a node without a snapshot (a leaf unit deeper down) and a user
who does not see the node's whole subtree are computed live altogether.

Freshness: the view parts are rebuilt with the cells they come from (the
nodes above the projects a refresh touched; every node on a full refresh);
the node parts (the headline counts notices, letters, findings and outcomes,
which do not mark projects dirty) on every refresh run, i.e. at least every
ten minutes (the beat)."""

from __future__ import annotations

import datetime
import hashlib
import json
from functools import cached_property

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, TextField
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import Cast
from django.utils import timezone

from accountability.models import Unit
from dashboards import selectors
from dashboards.models import CELL_LEVELS, NODE_PART, DashboardSnapshot, RollupState
from dashboards.rollups import ALL_YEARS, path_ids
from pingxiang_cf.roles import ADMIN_ROLES, Role
from pingxiang_cf.scope import get_user_scope


def snapshot_nodes():
    """The units that get snapshots: those with units below, and the
    counties and departments directly under the root."""
    has_children = Exists(Unit.objects.filter(parent=OuterRef("pk")))
    return Unit.objects.filter(Q(has_children) | Q(depth__lte=1)).order_by("path")


def readable(user, node: Unit) -> bool:
    """Whether `user` sees the node's whole subtree through the ordinary
    scope rule (pingxiang_cf.scope): then the snapshot, which holds the whole
    subtree, is exactly what the live page would show them. Anyone else
    (e.g. an administrator who sees units but not their records) gets the
    live page."""
    scope = get_user_scope(user)
    if scope.sees_all:
        return True
    return any(node.path.startswith(path) for path in scope.unit_paths(set(Role) - ADMIN_ROLES))


class Snapshot:
    """What a page reads of a node's snapshot: the node part (crumbs, units
    below, headline, options: no filter changes it) and, when one is stored
    for the page's year and filter, the view part. The first read brings the
    crumbs and the version only; the parts (a city's hold hundreds of units)
    are fetched, in one more query, and decoded when first used — a page
    whose body is cached never needs them."""

    def __init__(self, head: dict, node_pk: int, view_pk: int | None, built_at, variant):
        self.crumbs, self.options = head["crumbs"], head["options"]  # read with the version
        self._node_pk, self._view_pk = node_pk, view_pk
        self.built_at = built_at  # the newer of the two parts: the page's version
        self.variant = variant

    @property
    def version(self) -> str:
        return self.built_at.isoformat()

    @cached_property
    def _texts(self) -> dict[int, str]:
        ids = [pk for pk in (self._node_pk, self._view_pk) if pk is not None]
        rows = DashboardSnapshot.objects.filter(pk__in=ids).annotate(
            text=Cast("payload", TextField())
        )
        return dict(rows.values_list("pk", "text"))

    @cached_property
    def node_data(self) -> dict:
        return json.loads(self._texts[self._node_pk])

    @cached_property
    def view(self) -> dict | None:
        return None if self._view_pk is None else json.loads(self._texts[self._view_pk])

    def serves(self, filters: selectors.Filters) -> bool:
        """Whether the view part is the one of these (cleaned) filters."""
        return self._view_pk is not None and variant_of(filters) == self.variant


# A node with at least this many units directly below (a province's city)
# also gets a view part per year under each single tier, program or
# mechanism filter: computed live, its page would read and roll up a row per
# unit below and month. Narrower nodes compute a filtered page live cheaply.
WIDE_NODE_UNITS = 40


def variant_of(filters: selectors.Filters) -> str | None:
    """The snapshot variant of these filters: "" with no tier, program or
    mechanism filter, e.g. "program:3" with exactly one, None with more
    (never stored: computed live)."""
    chosen = [(name, getattr(filters, name)) for name in selectors.DIMENSIONS]
    chosen = [(name, value) for name, value in chosen if value]
    if len(chosen) > 1:
        return None
    return f"{chosen[0][0]}:{chosen[0][1]}" if chosen else ""


def read(user, node: Unit, year: int | None, *, variant: str | None = "") -> Snapshot | None:
    """The node's snapshot: its node part and the view part of the year
    filter (None: all years) and `variant` (variant_of()) when one is stored
    — else the node part alone and the view part is computed live; None when
    the node has no snapshot or `user` may not read it. One query."""
    if not readable(user, node):
        return None
    wanted = Q(year=NODE_PART, variant="")
    if variant is not None:
        wanted |= Q(year=year or ALL_YEARS, variant=variant)
    rows = (
        DashboardSnapshot.objects.filter(wanted, node=node)
        .annotate(
            crumbs=KeyTransform("crumbs", "payload"), options=KeyTransform("options", "payload")
        )
        .values_list("pk", "year", "built_at", "crumbs", "options")
    )
    parts = {row[1]: row for row in rows}
    if NODE_PART not in parts:
        return None
    node_pk, _year, built_at, crumbs, options = parts.pop(NODE_PART)
    view_pk = None
    for pk, _year, view_built_at, *_none in parts.values():
        view_pk, built_at = pk, max(built_at, view_built_at)
    head = {"crumbs": crumbs, "options": options}
    return Snapshot(head, node_pk, view_pk, built_at, variant)


def _node_parts(node: Unit, options: dict) -> tuple[dict, dict[int, str]]:
    part = selectors.node_part(node, user=None, options=options)
    return part, {info[0]: info[1] for info in part["units"]}


def build_node(node: Unit, *, today: datetime.date, options: dict) -> list[DashboardSnapshot]:
    """Every snapshot of one node: read the node's rows, children's figures
    and activity once (every year), then assemble each year's view part;
    for a wide node, each single filter's too."""
    built_at = timezone.now()
    part, names = _node_parts(node, options)
    node_rows = list(selectors._node_rows(None, node, selectors.Filters()))
    years = sorted({key[0] for key, _measures in node_rows if key[0] != ALL_YEARS})
    snapshots = [DashboardSnapshot(node=node, year=NODE_PART, payload=part, built_at=built_at)]
    dimensions = [None]
    if node.depth + 1 in CELL_LEVELS and len(names) - 1 >= WIDE_NODE_UNITS:
        dimensions += selectors.DIMENSIONS
    for dimension in dimensions:
        views = _views(node, dimension, node_rows, names, years, options=options, today=today)
        snapshots += [
            DashboardSnapshot(
                node=node, year=year, variant=variant, payload=view, built_at=built_at
            )
            for (year, variant), view in views
        ]
    return snapshots


def _views(node, dimension, node_rows, names, years, *, options, today):
    """((year, variant), view part) of one dimension (None: no filter), for
    every year filter and every value of the dimension the node has projects of."""
    by_child = selectors.by_child_every_year(node, dimension)
    activity = selectors.activity_every_year(node, dimension)
    lagging = selectors.lagging_every_year(node, today=today, dimension=dimension)
    values = [None] if dimension is None else list(options[f"{dimension}s"])
    column = None if dimension is None else 1 + selectors.DIMENSIONS.index(dimension)
    for value in values:
        own = node_rows if column is None else [r for r in node_rows if r[0][column] == value]
        if column is not None and not own:
            continue  # nothing of this value below the node: live, and empty
        # A tier or program is filtered here as the live read does in SQL;
        # breakdowns_of() picks a mechanism's own rows from all of them.
        rows = node_rows if dimension == "mechanism" else own
        variant = "" if dimension is None else f"{dimension}:{value}"
        for year in (ALL_YEARS, *years):
            filters = selectors.Filters(
                year=year or None, **({dimension: value} if dimension else {})
            )
            view = selectors.view_part(
                filters,
                names,
                rows,
                by_child.get((year, value), {}),
                lambda trend_year, value=value: activity.get((trend_year, value), ()),
                lagging.get((year, value), []),
            )
            yield (year, variant), view


def rebuild(node_ids=None, *, today: datetime.date | None = None) -> int:
    """Rebuild every snapshot of these nodes (all snapshot nodes if None);
    drop those of units that no longer get one. Returns the number of nodes."""
    today = today or timezone.localdate()
    options = selectors.filter_options()
    nodes = snapshot_nodes()
    if node_ids is not None:
        nodes = nodes.filter(pk__in=set(node_ids))
    else:
        DashboardSnapshot.objects.exclude(node__in=snapshot_nodes().values("pk")).delete()
        fingerprint = node_parts_fingerprint()
    count = 0
    for node in nodes.iterator():
        snapshots = build_node(node, today=today, options=options)
        with transaction.atomic():
            DashboardSnapshot.objects.filter(node=node).delete()
            DashboardSnapshot.objects.bulk_create(snapshots)
        count += 1
    if node_ids is None:
        _record_fingerprint(fingerprint)
    return count


# What a node part is made of (dashboards.selectors.node_part: the units,
# the headline's plan tasks, notices, inspections, letters, findings and
# outcomes, the filter options). Each table's row count and latest change
# (updated_at, which the services keep also where they UPDATE in bulk; the
# largest id of a many-to-many table) tell in one query whether any node
# part can have changed since the last rebuild. Ledger entries and projects
# are not among them: the frequent writes leave the node parts alone.
def _node_part_sources():
    from accountability.models import AccountabilityCase, Commendation, Official
    from inspections.models import Finding, Inspection, Notice, NoticeUnit, SupervisionLetter
    from projects.models import Mechanism, PlanTask, Program, Tier

    tables = (Unit, Official, PlanTask, Notice, NoticeUnit, Inspection, SupervisionLetter)
    tables += (Finding, Commendation, AccountabilityCase, Tier, Program, Mechanism)
    links = (PlanTask.co_units.through, Inspection.units.through)
    return tables, links


def _recorded_fingerprint() -> str | None:
    return (
        RollupState.objects.filter(key="main")
        .values_list("node_parts_fingerprint", flat=True)
        .first()
    )


def _record_fingerprint(fingerprint: str) -> None:
    RollupState.objects.update_or_create(
        key="main", defaults={"node_parts_fingerprint": fingerprint}
    )


def node_parts_fingerprint() -> str:
    """A digest of everything node parts are built from (one query)."""
    tables, links = _node_part_sources()
    quote = connection.ops.quote_name
    columns = []
    for model, latest in [*((m, "updated_at") for m in tables), *((m, "id") for m in links)]:
        table = quote(model._meta.db_table)
        columns.append(f"(SELECT COUNT(*) FROM {table})")
        columns.append(f"(SELECT MAX({quote(latest)}) FROM {table})")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)}")
        row = cursor.fetchone()
    return hashlib.sha256(repr(row).encode()).hexdigest()


def rebuild_node_parts(*, exclude=(), force: bool = False) -> int:
    """Rebuild the node part of every snapshot node but `exclude` (headline,
    units below, options): run on every refresh, and skipped when nothing
    they are made of changed since the last time (node_parts_fingerprint),
    unless `force`. Returns the number of nodes rebuilt."""
    fingerprint = node_parts_fingerprint()
    if not force and _recorded_fingerprint() == fingerprint:
        return 0
    options = selectors.filter_options()
    count = 0
    for node in snapshot_nodes().exclude(pk__in=set(exclude)).iterator():
        part, _names = _node_parts(node, options)
        DashboardSnapshot.objects.update_or_create(
            node=node,
            year=NODE_PART,
            variant="",
            defaults={"payload": part, "built_at": timezone.now()},
        )
        count += 1
    _record_fingerprint(fingerprint)
    return count


def nodes_above(unit_ids) -> set[int]:
    """The ids of these units and every unit above them."""
    paths = Unit._base_manager.filter(pk__in=set(unit_ids)).values_list("path", flat=True)
    return {pk for path in paths for pk in path_ids(path)}

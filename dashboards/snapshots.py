"""Per-node snapshots of the dashboard (DashboardSnapshot), written by the
refresh so that the page reads one row instead of computing.

For every node a leader lands on or drills into (units with units below
them, and the counties and departments directly under the root), the
refresh stores the node's part (crumbs, units below, headline, filter
options) and, for all years and for each year the node has projects in,
the view part with no tier, program or mechanism filter — built by the same
functions as the live page (dashboards.selectors), from reads made once per
node for every year. A tier, program or mechanism filter, a year without
projects, a node without a snapshot (a leaf unit deeper down) and a user
who does not see the node's whole subtree are computed live.

Freshness: the view parts are rebuilt with the cells they come from (the
nodes above the projects a refresh touched; every node on a full refresh);
the node parts (the headline counts notices, letters, findings and outcomes,
which do not mark projects dirty) on every refresh run, i.e. at least every
ten minutes (the beat)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accountability.models import Unit
from dashboards import selectors
from dashboards.models import NODE_PART, DashboardSnapshot
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


def read(user, node: Unit, year: int | None) -> tuple[dict, dict, datetime.datetime] | None:
    """(node part, view part, built at) of the node for the year filter
    (None: all years), or None when the page must be computed live. One
    query."""
    if not readable(user, node):
        return None
    wanted = year or ALL_YEARS
    rows = {
        row.year: row
        for row in DashboardSnapshot.objects.filter(node=node, year__in=(NODE_PART, wanted))
    }
    if NODE_PART not in rows or wanted not in rows:
        return None
    return rows[NODE_PART].payload, rows[wanted].payload, rows[wanted].built_at


def _node_parts(node: Unit, options: dict) -> tuple[dict, dict[int, str]]:
    part = selectors.node_part(node, user=None, options=options)
    return part, {info[0]: info[1] for info in part["units"]}


def build_node(node: Unit, *, today: datetime.date, options: dict) -> list[DashboardSnapshot]:
    """Every snapshot of one node: read the node's rows, children's figures
    and activity once (every year), then assemble each year's view part."""
    built_at = timezone.now()
    part, names = _node_parts(node, options)
    everything = selectors.Filters()
    node_rows = list(selectors._node_rows(None, node, everything))
    by_child = selectors.by_child_every_year(node)
    activity = selectors.activity_every_year(node)
    lagging = selectors.lagging_every_year(node, today=today)
    years = sorted({key[0] for key, _measures in node_rows if key[0] != ALL_YEARS})
    snapshots = [DashboardSnapshot(node=node, year=NODE_PART, payload=part, built_at=built_at)]
    for year in (ALL_YEARS, *years):
        filters = selectors.Filters(year=year or None)
        view = selectors.view_part(
            filters,
            names,
            node_rows,
            by_child.get(year, {}),
            lambda trend_year: activity.get(trend_year, ()),
            lagging.get(year, []),
        )
        snapshots.append(DashboardSnapshot(node=node, year=year, payload=view, built_at=built_at))
    return snapshots


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
    count = 0
    for node in nodes.iterator():
        snapshots = build_node(node, today=today, options=options)
        with transaction.atomic():
            DashboardSnapshot.objects.filter(node=node).delete()
            DashboardSnapshot.objects.bulk_create(snapshots)
        count += 1
    return count


def rebuild_node_parts(*, exclude=()) -> int:
    """Rebuild the node part of every snapshot node but `exclude` (headline,
    units below, options): run on every refresh."""
    options = selectors.filter_options()
    count = 0
    for node in snapshot_nodes().exclude(pk__in=set(exclude)).iterator():
        part, _names = _node_parts(node, options)
        DashboardSnapshot.objects.update_or_create(
            node=node,
            year=NODE_PART,
            defaults={"payload": part, "built_at": timezone.now()},
        )
        count += 1
    return count


def nodes_above(unit_ids) -> set[int]:
    """The ids of these units and every unit above them."""
    paths = Unit._base_manager.filter(pk__in=set(unit_ids)).values_list("path", flat=True)
    return {pk for path in paths for pk in path_ids(path)}

"""The pinned query count of GET /api/v1/summary/, whatever the data size:
session + user (2), the user's memberships (1), then one aggregate each for
plan tasks, projects, units, inspections, notified units, commendations,
accountability cases, leading groups and signed letters (9)."""

SUMMARY_QUERIES = 12

# The leaders' dashboard (GET /dashboard/), whatever the number of projects
# and ledger entries. From the node's snapshot (no tier, program or mechanism
# filter): session + user (2), memberships (1), the node (1), the snapshot's
# crumbs and version (1), the rollups' freshness (1), the base template's
# unread notifications (1) — and, unless the body is cached, the snapshot's
# two parts (1).
DASHBOARD_CACHED_QUERIES = 7
DASHBOARD_QUERIES = 8
# Under a tier, program or mechanism filter: as above when the node stores
# that single filter (a wide node: snapshots.WIDE_NODE_UNITS units below);
# otherwise the node part alone from the snapshot and the view part computed
# live: the node's own cells (1), its children's cells (1), the activity by
# child and month (1), the lagging list (1). The body is cached either way.
DASHBOARD_FILTERED_QUERIES = 12
# Computed live altogether: a node without a snapshot (a leaf unit deeper
# down): session + user, memberships, the node, the snapshot looked for (1),
# the filter options (1), the units of the node (1), the headline figures
# (1), the four reads of the view part, freshness and notifications.
DASHBOARD_MISSED_QUERIES = 14
# The units page (GET /dashboard/units/) from a snapshot: as the dashboard,
# the rows sorted and paginated in memory.
UNITS_PAGE_QUERIES = 8

"""The pinned query count of GET /api/v1/summary/, whatever the data size:
session + user (2), the user's memberships (1), then one aggregate each for
plan tasks, projects, units, inspections, notified units, commendations,
accountability cases, leading groups and signed letters (9)."""

SUMMARY_QUERIES = 12

# The leaders' dashboard (GET /dashboard/), whatever the number of projects
# and ledger entries: session + user (2), memberships (1), the filter options
# (tiers, programs and mechanisms in one UNION: 1), the node (1), its crumbs
# and children (1), the headline figures (1), the
# node's own cells (1), its children's cells (1), the activity by child and
# month (1), the lagging list (1), the rollups' freshness (1).
DASHBOARD_QUERIES = 13

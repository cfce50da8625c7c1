"""The pinned query count of GET /api/v1/summary/, whatever the data size:
session + user (2), the user's memberships (1), then one aggregate each for
plan tasks, projects, units, inspections, notified units, commendations,
accountability cases, leading groups and signed letters (9)."""

SUMMARY_QUERIES = 12

# The leaders' dashboard (GET /dashboard/), whatever the number of projects
# and ledger entries: session + user (2), memberships (1), the filter options
# (tiers, programs, mechanisms, years: 4), the node, its crumbs and its
# children (3, one less when the node is the user's default), plan tasks,
# units, notices, inspections, letters, findings, commendations,
# accountability (8), projects by category, tier, program, mechanism, year
# and child (6), the month trend and the heat map (2), the lagging list (1),
# the freshness row (1).
DASHBOARD_QUERIES = 29

"""The pinned query count of GET /api/v1/summary/, whatever the data size:
session + user (2), the user's memberships (1), then one aggregate each for
plan tasks, projects, units, inspections, notified units, commendations,
accountability cases, leading groups and signed letters (9)."""

SUMMARY_QUERIES = 12

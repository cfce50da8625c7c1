"""The dashboards' rollup tables, built once every other builder has run
(the bulk builders write without the services, so nothing queued them)."""

from __future__ import annotations

from dashboards.rollups import refresh_all
from demo.context import DemoContext


def build_dashboard_rollups(ctx: DemoContext) -> None:
    refresh_all()

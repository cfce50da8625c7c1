"""Presentation of the dashboard: the links behind every figure (keeping the
filters) and the data of each chart (for json_script). No queries here."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from dashboards.selectors import Filters, Row
from projects.services import LightColor


def dashboard_url(filters: Filters, unit=None, **override) -> str:
    params = filters.params(**override)
    if unit is not None:
        params["unit"] = unit.pk
    return f"{reverse('dashboards:index')}?{urlencode(params)}"


def export_url(filters: Filters, unit) -> str:
    params = {**filters.params(), "unit": unit.pk}
    return f"{reverse('dashboards:export')}?{urlencode(params)}"


def projects_url(filters: Filters, **extra) -> str:
    """The project registry with the same filters (and e.g. lead_unit,
    category, light). The registry shows the user's whole scope: it has no
    filter for a subtree, so a county's figure links to the registry with
    the year/tier/program/mechanism kept and, for a unit, its lead_unit."""
    params = {**filters.params(), **{k: v for k, v in extra.items() if v not in (None, "")}}
    return f"{reverse('projects:list')}?{urlencode(params)}"


def list_url(name: str, **params) -> str:
    """A list page of another capability (notices, inspections, letters,
    findings, the register), filtered; it shows the user's own scope."""
    url = reverse(name)
    return f"{url}?{urlencode(params)}" if params else url


def unit_wall_url(unit, filters: Filters) -> str:
    """The unit's wall chart (its projects month by month), for the year filtered."""
    url = reverse("projects:unit-wall", args=[unit.pk])
    return f"{url}?{urlencode({'year': filters.year})}" if filters.year else url


def units_url(filters: Filters, unit, **extra) -> str:
    """The units page (every unit below `unit`), with the same filters."""
    params = {**filters.params(), "unit": unit.pk, **extra}
    return f"{reverse('dashboards:units')}?{urlencode(params)}"


TABLE_ROWS = 50  # units in the dashboard's own tables; the units page lists all
UNITS_PER_PAGE = 50


def unit_sort_links(filters: Filters, unit, sorts: dict) -> list[tuple[str, str, str]]:
    """(key, label, url) of each order of the units page."""
    return [
        (key, str(label), units_url(filters, unit, **({"sort": key} if key else {})))
        for key, (label, _order) in sorts.items()
    ]


class Links:
    """The drill-down links of one page: the query string of the filters is
    built once, then each unit's link appends its id."""

    def __init__(self, filters: Filters):
        query = urlencode(filters.params())
        joiner = "&" if query else ""
        self.dashboard = f"{reverse('dashboards:index')}?{query}{joiner}unit="
        self.projects = f"{reverse('projects:list')}?{query}{joiner}lead_unit="

    def row(self, row: Row) -> str:
        """Where a unit's row leads: its own dashboard when it has units
        below it, else its projects in the registry."""
        if row.has_children:
            return f"{self.dashboard}{row.node.pk}"
        return f"{self.projects}{row.node.pk}"


CHART_ROWS = 15  # bars in a unit chart; the table view lists every unit

LIGHT_COLORS = (LightColor.GREEN, LightColor.YELLOW, LightColor.RED)


def _light_datasets(rows: list[Row]) -> list[dict]:
    return [
        {
            "label": str(LightColor(color).label),
            "color": color,
            "data": [getattr(row.figures, color) for row in rows],
        }
        for color in LIGHT_COLORS
    ]


def chart_data(data: dict) -> dict:
    """The charts, as Chart.js needs them (static/dashboards/dashboard.js draws them)."""
    ranking = data["ranking"][:CHART_ROWS]
    children = sorted(data["children"], key=lambda row: -row.figures.total)[:CHART_ROWS]
    return {
        "tier": {
            "type": "stacked",
            "labels": [row.label for row in data["tiers"]],
            "datasets": _light_datasets(data["tiers"]),
        },
        "program": {
            "type": "stacked",
            "labels": [row.label for row in data["programs"]],
            "datasets": _light_datasets(data["programs"]),
        },
        "mechanism": {
            "type": "stacked",
            "labels": [row.label for row in data["mechanisms"]],
            "datasets": _light_datasets(data["mechanisms"]),
        },
        "children": {
            "type": "stacked",
            "horizontal": True,
            "labels": [row.label for row in children],
            "datasets": _light_datasets(children),
        },
        "year": {
            "type": "bar",
            "labels": [row.label for row in data["years"]],
            "datasets": [
                {
                    "label": _("项目数"),
                    "color": "blue",
                    "data": [row.figures.total for row in data["years"]],
                },
                {
                    "label": _("已完成"),
                    "color": "green",
                    "data": [row.figures.done for row in data["years"]],
                },
            ],
        },
        "ranking": {
            "type": "bar",
            "horizontal": True,
            "percent": True,
            "labels": [row.label for row in ranking],
            "datasets": [
                {
                    "label": _("按期完成率(%)"),
                    "color": "blue",
                    "data": [float(row.figures.on_time_rate) for row in ranking],
                }
            ],
        },
        "trend": {
            "type": "line",
            "labels": [_("%(month)d月") % {"month": row["month"]} for row in data["trend"]],
            "datasets": [
                {
                    "label": _("报送台账"),
                    "color": "blue",
                    "data": [row["entries"] for row in data["trend"]],
                },
                {
                    "label": _("核实台账"),
                    "color": "green",
                    "data": [row["verified"] for row in data["trend"]],
                },
                {
                    "label": _("完成项目"),
                    "color": "red",
                    "data": [row["completed"] for row in data["trend"]],
                },
            ],
        },
    }


def heat_class(value: int, top: int) -> str:
    """One of six shades (heat-0 … heat-5) for a heat-map cell."""
    if not value or not top:
        return "heat-0"
    return f"heat-{min(5, 1 + (value * 5 - 1) // top)}"

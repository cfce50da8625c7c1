"""The dashboard's long tables, rendered in Python: one format_html per row
instead of a template loop per cell (the tables are most of the page)."""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()

FIGURE_ROW = (
    '<tr><th scope="row">{}{}</th><td class="text-end">{}</td>'
    '<td class="text-end">{}</td><td class="text-end">{}%</td>'
    '<td class="text-end">{}%</td><td class="text-end">{}%</td>'
    '<td class="text-end">{}</td><td class="text-end">{}</td>'
    '<td class="text-end">{}</td></tr>'
)


def _label(row, linked):
    link = getattr(row, "link", None)
    if linked and link:
        return format_html('<a href="{}">{}</a>', link, row.label)
    return row.label


@register.simple_tag
def figure_rows(rows, linked=False, ranked=False, start=1):
    """The <tr>s of a breakdown table (dashboards/_figures_table.html);
    ranked rows are numbered from `start` (a later page of the units page)."""
    return format_html_join(
        "\n",
        FIGURE_ROW,
        (
            (
                format_html('<span class="text-secondary me-1">{}</span>', index) if ranked else "",
                _label(row, linked),
                f.total,
                f.done,
                f.completion_rate,
                f.on_time_rate,
                f.mean_progress,
                f.green,
                f.yellow,
                f.red,
            )
            for index, row in enumerate(rows, start)
            for f in (row.figures,)
        ),
    )


@register.simple_tag
def heat_cells(row):
    """The month cells of one heat-map row."""
    return format_html_join(
        "", '<td class="text-center {}">{}</td>', ((css, value) for value, css in row.cells)
    )

"""Geometry of the workflow charts (挂图作业), rendered server-side as SVG.

Pure presentation: dates become percentages along a time axis; no business
rule lives here (statuses and lights come from the models and selectors).
A row carrying a warning light (`.light`, set by projects.selectors) is
coloured by it: `light-<color>`, with the light and its reason in the title."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from projects.choices import AssignmentStatus, ProjectStage
from projects.services import LightColor


@dataclass(frozen=True)
class Axis:
    """A time axis from `start` to `end` (inclusive) mapped onto 0–100 %."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def for_year(cls, year: int) -> Axis:
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @classmethod
    def covering(cls, *dates: datetime.date | None) -> Axis:
        """Whole months around the given dates."""
        known = [d for d in dates if d]
        first, last = min(known), max(known)
        end_month = datetime.date(last.year + last.month // 12, last.month % 12 + 1, 1)
        return cls(first.replace(day=1), end_month - datetime.timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def pct(self, day: datetime.date) -> float:
        """Position of the start of `day`, clamped to the axis."""
        offset = (day - self.start).days
        return round(min(max(offset / self.days * 100, 0.0), 100.0), 2)

    def span(self, start: datetime.date, end: datetime.date) -> tuple[float, float]:
        """(x, width) in percent of a bar covering `start`..`end` inclusive."""
        x = self.pct(start)
        right = self.pct(end + datetime.timedelta(days=1))
        return x, round(max(right - x, 0.4), 2)

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def months(self) -> list[dict]:
        """Month ticks: position and label (1月 … 12月; the year on January)."""
        ticks = []
        day = self.start.replace(day=1)
        while day <= self.end:
            label = _("%(month)d月") % {"month": day.month}
            if day.month == 1 or not ticks:
                label = _("%(year)d年%(month)d月") % {"year": day.year, "month": day.month}
            ticks.append({"x": self.pct(day), "label": label, "short": str(day.month)})
            day = datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return ticks


@dataclass
class Mark:
    x: float
    title: str
    done: bool
    late: bool = False


@dataclass
class ChartRow:
    label: str
    css: str  # bar class: planned, stage-<stage>, assignment-<status>
    x: float | None = None
    width: float | None = None
    title: str = ""
    url: str = ""
    sublabel: str = ""
    marks: list[Mark] = field(default_factory=list)


def milestone_marks(axis: Axis, milestones) -> list[Mark]:
    """A hollow mark at each planned date, a filled one at each actual date."""
    marks = []
    for m in milestones:
        if axis.contains(m.planned_date):
            title = _("%(name)s:计划%(date)s(%(progress)s%%)") % {
                "name": m.name,
                "date": m.planned_date.isoformat(),
                "progress": m.planned_progress,
            }
            marks.append(Mark(axis.pct(m.planned_date), title, done=False))
        if m.actual_date and axis.contains(m.actual_date):
            title = _("%(name)s:实际完成%(date)s") % {
                "name": m.name,
                "date": m.actual_date.isoformat(),
            }
            marks.append(
                Mark(axis.pct(m.actual_date), title, done=True, late=m.actual_date > m.planned_date)
            )
    return marks


def light_legend() -> list[dict]:
    """The chart legend's light colours: css class and label (绿灯, 黄灯, 红灯)."""
    return [{"css": f"light-{value}", "label": label} for value, label in LightColor.choices]


def _light_css(obj) -> str:
    light = getattr(obj, "light", None)
    return f" light-{light.color}" if light else ""


def _light_title(obj, title: str) -> str:
    """`title` followed by the object's light and its reason, when it has one."""
    light = getattr(obj, "light", None)
    if not light:
        return title
    return f"{title}\n{light.label}:{light.reason}"


def wall_rows(axis: Axis, projects, url_for) -> list[ChartRow]:
    """One row per project: its planned period, stage, milestones."""
    rows = []
    for p in projects:
        x, width = axis.span(max(p.start_date, axis.start), min(p.end_date, axis.end))
        rows.append(
            ChartRow(
                label=f"{p.number} {p.name}",
                sublabel=" · ".join(
                    [p.lead_unit.name, str(p.get_stage_display())]
                    + ([p.light.label] if getattr(p, "light", None) else [])
                ),
                css=f"stage-{p.stage}{_light_css(p)}",
                x=x,
                width=width,
                title=_light_title(p, f"{p.start_date.isoformat()} — {p.end_date.isoformat()}"),
                url=url_for(p),
                marks=milestone_marks(axis, p.milestones.all()),
            )
        )
    return rows


def project_rows(axis: Axis, project, milestones, assignments) -> list[ChartRow]:
    """The project's workflow chart: its period with milestones, the span of
    each stage (from its milestones), and each assignment up to its deadline."""
    rows = [
        ChartRow(
            label=_("项目周期"),
            sublabel=project.light.label if getattr(project, "light", None) else "",
            css=f"planned{_light_css(project)}",
            x=axis.span(project.start_date, project.end_date)[0],
            width=axis.span(project.start_date, project.end_date)[1],
            title=_light_title(
                project, f"{project.start_date.isoformat()} — {project.end_date.isoformat()}"
            ),
            marks=milestone_marks(axis, milestones),
        )
    ]
    previous_end = project.start_date
    for stage, label in ProjectStage.choices:
        dates = [m.planned_date for m in milestones if m.stage == stage]
        if not dates:
            continue
        start, end = max(previous_end, project.start_date), max(dates)
        start = min(start, end)
        x, width = axis.span(start, end)
        current = stage == project.stage
        rows.append(
            ChartRow(
                label=str(label),
                sublabel=_("当前阶段") if current else "",
                css=f"stage-{stage}" + (" current" if current else ""),
                x=x,
                width=width,
                title=f"{start.isoformat()} — {end.isoformat()}",
                marks=milestone_marks(axis, [m for m in milestones if m.stage == stage]),
            )
        )
        previous_end = end + datetime.timedelta(days=1)
    for a in assignments:
        start = min(project.start_date, a.deadline)
        x, width = axis.span(start, a.deadline)
        is_open = a.status == AssignmentStatus.OPEN
        late = is_open and a.deadline < timezone.localdate()
        title = _("%(status)s,完成时限%(date)s") % {
            "status": a.get_status_display(),
            "date": a.deadline.isoformat(),
        }
        rows.append(
            ChartRow(
                label=str(a.section or a.assignee_unit),
                sublabel=a.get_kind_display(),
                # open work is coloured by its light; completed/cancelled by status
                css=f"assignment-{a.status}"
                + (" late" if late else "")
                + (_light_css(a) if is_open else ""),
                x=x,
                width=width,
                title=_light_title(a, title) if is_open else title,
            )
        )
    return rows

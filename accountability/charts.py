"""Geometry of a unit's risk map (廉政风险图), drawn server-side as SVG:
posts are the points (one circle each, coloured by its highest risk level,
showing its number of risk points), business processes the lines (a line of
steps, with the risk points met on each step as small coloured dots) and the
rules the surface (the shaded ground everything stands on, listing the rules
the controls rest on). Pure presentation: levels come from the data."""

from __future__ import annotations

from dataclasses import dataclass, field

from accountability.choices import RiskLevel

WIDTH = 960
MARGIN = 40
POST_ROW_Y = 70
POST_RADIUS_MIN, POST_RADIUS_MAX = 14, 26
PROCESS_TOP = 170
PROCESS_GAP = 90
LEVEL_ORDER = [RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH]


def worst_level(levels) -> str | None:
    levels = [lv for lv in levels if lv]
    return max(levels, key=LEVEL_ORDER.index) if levels else None


@dataclass
class PostNode:
    x: float
    y: float
    r: float
    label: str
    level: str | None
    count: int
    anchor: str


@dataclass
class Dot:
    x: float
    y: float
    level: str
    title: str


@dataclass
class StepNode:
    x: float
    y: float
    label: str
    post: str
    dots: list[Dot] = field(default_factory=list)


@dataclass
class ProcessLine:
    y: float
    x1: float
    x2: float
    label: str
    steps: list[StepNode] = field(default_factory=list)


@dataclass
class MapDrawing:
    width: int
    height: int
    posts: list[PostNode]
    processes: list[ProcessLine]
    rules: list[str]
    surface_y: float


def _spread(count: int, left: float = MARGIN, right: float = WIDTH - MARGIN) -> list[float]:
    if count <= 0:
        return []
    if count == 1:
        return [(left + right) / 2]
    step = (right - left) / (count - 1)
    return [round(left + i * step, 1) for i in range(count)]


def draw_risk_map(posts, processes, rules) -> MapDrawing:
    """`posts` with prefetched powers → risk_points; `processes` with
    prefetched steps → post, risk_points."""
    nodes = []
    xs = _spread(len(posts), MARGIN + 40, WIDTH - MARGIN - 40)
    for index, (post, x) in enumerate(zip(posts, xs, strict=True)):
        points = [p for power in post.powers.all() for p in power.risk_points.all()]
        radius = min(POST_RADIUS_MAX, POST_RADIUS_MIN + 2 * len(points))
        nodes.append(
            PostNode(
                x=x,
                y=POST_ROW_Y + (18 if index % 2 and len(posts) > 6 else 0),
                r=radius,
                label=post.name,
                level=worst_level(p.level for p in points),
                count=len(points),
                anchor="middle",
            )
        )
    lines = []
    for index, process in enumerate(processes):
        y = PROCESS_TOP + index * PROCESS_GAP
        steps = list(process.steps.all())
        step_xs = _spread(len(steps), MARGIN + 140, WIDTH - MARGIN - 20)
        line = ProcessLine(y=y, x1=MARGIN + 120, x2=WIDTH - MARGIN, label=process.name)
        for step, x in zip(steps, step_xs, strict=True):
            node = StepNode(x=x, y=y, label=step.name, post=step.post.name if step.post else "")
            points = sorted(
                step.risk_points.all(), key=lambda p: LEVEL_ORDER.index(p.level), reverse=True
            )
            for k, point in enumerate(points[:6]):
                node.dots.append(
                    Dot(
                        x=round(x - 15 + (k % 3) * 15, 1),
                        y=y - 20 - (k // 3) * 12,
                        level=point.level,
                        title=point.description,
                    )
                )
            line.steps.append(node)
        lines.append(line)
    height = PROCESS_TOP + max(len(processes), 1) * PROCESS_GAP + 40
    return MapDrawing(
        width=WIDTH,
        height=height,
        posts=nodes,
        processes=lines,
        rules=list(rules),
        surface_y=height - 30,
    )

"""Builds the Pingxiang demo data set in one transaction, or, when it is
already there, checks it and changes nothing (so the command can run on
every start-up)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from accountability.models import Unit
from demo.builders.accounts import build_accounts
from demo.builders.activity import build_recent_activity
from demo.builders.assessments import build_schemes, build_unit_assessments
from demo.builders.cycles import build_cycles
from demo.builders.dashboards import build_dashboard_rollups
from demo.builders.framework import build_framework, build_plan
from demo.builders.inspections import build_inspections
from demo.builders.outcomes import build_outcomes
from demo.builders.projects import build_projects
from demo.builders.responsibility import build_leading_groups, build_letters, build_risk_posts
from demo.builders.units import build_officials, build_sections, build_units
from demo.context import DemoContext
from demo.figures import current_figures, demo_is_loaded, differences


class DemoError(Exception):
    """The demo cannot be loaded into this database."""


@dataclass
class LoadResult:
    created: bool
    figures: dict
    problems: list[str] = field(default_factory=list)


def load_demo() -> LoadResult:
    if demo_is_loaded():
        figures = current_figures()
        return LoadResult(created=False, figures=figures, problems=differences(figures))
    if Unit.objects.exists():
        raise DemoError(
            _("数据库中已有其他单位数据,演示数据只能加载到空数据库中(请使用新的数据库)。")
        )
    with transaction.atomic():
        build_all(DemoContext())
        figures = current_figures()
        problems = differences(figures)
        if problems:
            # Leave nothing half-built behind: the transaction rolls back.
            raise DemoError(_("演示数据与种子数据不一致:") + "; ".join(problems))
    return LoadResult(created=True, figures=figures)


def build_all(ctx: DemoContext) -> None:
    """Every builder, bottom layer first; later builders read what earlier ones
    left in `ctx`."""
    build_units(ctx)
    build_sections(ctx)
    build_officials(ctx)
    build_accounts(ctx)
    framework = build_framework(ctx)
    plan_tasks = build_plan(ctx, framework)
    build_projects(ctx, plan_tasks)
    build_schemes(ctx)
    build_leading_groups(ctx)
    build_letters(ctx)
    build_risk_posts(ctx)
    build_inspections(ctx)
    build_unit_assessments(ctx)
    build_outcomes(ctx)
    build_cycles(ctx)
    build_recent_activity(ctx)
    build_dashboard_rollups(ctx)

"""Integrity-risk management (四分法) of a unit, one map per year:
posts and their powers (分岗确权), risk points with likelihood, impact and
level and their prevention measures (分险设防), the oversight tier of each
post (分层监管) and the handling category of each point (分类处置), plus the
business processes the points lie on.

The map of a year is written by the unit while its review is a draft or
returned, submitted, and approved by the commission; approved maps are
frozen. Starting a new year copies the latest earlier map, which stays as
it was approved, for comparison."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accountability.choices import ReviewStatus
from accountability.models import (
    RiskControl,
    RiskPoint,
    RiskPost,
    RiskPower,
    RiskProcess,
    RiskProcessStep,
    RiskReview,
)
from accountability.services.permissions import can_edit_risk_map, ensure, ensure_commission
from accountability.services.tree import risk_level
from pingxiang_cf.services import audited_create, audited_transition, audited_update

EDITABLE = (ReviewStatus.DRAFT, ReviewStatus.RETURNED)


def _ensure_unit_editor(actor, unit) -> None:
    ensure(actor, can_edit_risk_map(actor, unit), _("只有本单位或纪委惩防办可以维护风险图。"))


def review_editable(review: RiskReview | None) -> bool:
    return review is None or review.status in EDITABLE


def _editable_review(unit, year, *, actor) -> RiskReview:
    """The unit's review of `year`, opened as a draft when there is none;
    refused once it is submitted or approved."""
    review = RiskReview.objects.select_for_update().filter(unit=unit, year=year).first()
    if review is None:
        return audited_create(RiskReview, actor=actor, unit=unit, year=year)
    if review.status not in EDITABLE:
        raise ValidationError(
            _("%(year)d年度风险图“%(status)s”,不能再修改。")
            % {"year": year, "status": review.get_status_display()}
        )
    return review


# --- Starting a year: copy the previous map -------------------------------------------------


@transaction.atomic
def risk_review_start(*, unit, year: int, actor) -> RiskReview:
    """Open the re-assessment of `year`: a draft holding a copy of the latest
    earlier map (posts, powers, points, controls, processes and project
    links), which itself is left unchanged."""
    _ensure_unit_editor(actor, unit)
    if RiskReview.objects.filter(unit=unit, year=year).exists():
        raise ValidationError({"year": _("本单位%(year)d年度的风险图已存在。") % {"year": year}})
    previous = RiskReview.objects.filter(unit=unit, year__lt=year).order_by("-year").first()
    review = audited_create(RiskReview, actor=actor, unit=unit, year=year, based_on=previous)
    if previous is not None:
        _copy_map(unit, previous.year, year, actor=actor)
    return review


def _copy_map(unit, from_year: int, to_year: int, *, actor) -> None:
    points_map, posts_map = {}, {}
    posts = (
        RiskPost.objects.filter(unit=unit, year=from_year)
        .prefetch_related("projects", "powers__risk_points__controls")
        .order_by("pk")
    )
    for post in posts:
        new_post = audited_create(
            RiskPost,
            actor=actor,
            unit=unit,
            section=post.section,
            year=to_year,
            name=post.name,
            duties=post.duties,
            oversight_tier=post.oversight_tier,
            m2m={"projects": list(post.projects.all())},
        )
        posts_map[post.pk] = new_post
        for power in post.powers.all():
            new_power = audited_create(
                RiskPower, actor=actor, post=new_post, name=power.name, basis=power.basis
            )
            for point in power.risk_points.all():
                new_point = audited_create(
                    RiskPoint,
                    actor=actor,
                    power=new_power,
                    description=point.description,
                    category=point.category,
                    likelihood=point.likelihood,
                    impact=point.impact,
                    level=point.level,
                    handling=point.handling,
                )
                points_map[point.pk] = new_point
                for control in point.controls.all():
                    audited_create(
                        RiskControl,
                        actor=actor,
                        risk_point=new_point,
                        measure=control.measure,
                        rule_name=control.rule_name,
                        owner=control.owner,
                    )
    processes = (
        RiskProcess.objects.filter(unit=unit, year=from_year)
        .prefetch_related("steps__risk_points")
        .order_by("pk")
    )
    for process in processes:
        new_process = audited_create(
            RiskProcess,
            actor=actor,
            unit=unit,
            year=to_year,
            name=process.name,
            description=process.description,
        )
        for step in process.steps.all():
            audited_create(
                RiskProcessStep,
                actor=actor,
                process=new_process,
                number=step.number,
                name=step.name,
                post=posts_map.get(step.post_id),
                m2m={
                    "risk_points": [
                        points_map[p.pk] for p in step.risk_points.all() if p.pk in points_map
                    ]
                },
            )


# --- Writing the map ----------------------------------------------------------------------


@transaction.atomic
def risk_post_create(
    *,
    unit,
    year: int,
    name: str,
    actor,
    section=None,
    duties: str = "",
    oversight_tier: str = "",
    projects=(),
) -> RiskPost:
    """分岗确权: a post of the unit in the year's map, with the oversight tier
    (分层监管) and the Sunshine Program projects that treat it."""
    _ensure_unit_editor(actor, unit)
    _editable_review(unit, year, actor=actor)
    fields = {"oversight_tier": oversight_tier} if oversight_tier else {}
    return audited_create(
        RiskPost,
        actor=actor,
        unit=unit,
        year=year,
        name=(name or "").strip(),
        section=section,
        duties=duties,
        m2m={"projects": list(projects)},
        **fields,
    )


@transaction.atomic
def risk_post_update(post: RiskPost, *, actor, projects=None, **changes) -> RiskPost:
    _ensure_unit_editor(actor, post.unit)
    _editable_review(post.unit, post.year, actor=actor)
    m2m = {"projects": list(projects)} if projects is not None else None
    return audited_update(post, actor=actor, m2m=m2m, **changes)


@transaction.atomic
def risk_power_add(post: RiskPost, *, actor, name: str, basis: str = "") -> RiskPower:
    """A power held by the post (its power list)."""
    _ensure_unit_editor(actor, post.unit)
    _editable_review(post.unit, post.year, actor=actor)
    return audited_create(RiskPower, actor=actor, post=post, name=(name or "").strip(), basis=basis)


def _check_scale(likelihood, impact) -> None:
    errors = {}
    for field, value, label in (
        ("likelihood", likelihood, _("发生概率")),
        ("impact", impact, _("影响程度")),
    ):
        if not isinstance(value, int) or not 1 <= value <= 5:
            errors[field] = _("%(label)s须为1到5之间的整数。") % {"label": label}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def risk_point_add(
    power: RiskPower,
    *,
    actor,
    description: str,
    category: str,
    likelihood: int,
    impact: int,
    handling: str = "",
) -> RiskPoint:
    """分险设防: a risk point on a power; its level comes from likelihood ×
    impact (risk_level), never typed."""
    post = power.post
    _ensure_unit_editor(actor, post.unit)
    _editable_review(post.unit, post.year, actor=actor)
    _check_scale(likelihood, impact)
    fields = {"handling": handling} if handling else {}
    return audited_create(
        RiskPoint,
        actor=actor,
        power=power,
        description=(description or "").strip(),
        category=category,
        likelihood=likelihood,
        impact=impact,
        level=risk_level(likelihood, impact),
        **fields,
    )


@transaction.atomic
def risk_point_update(point: RiskPoint, *, actor, **changes) -> RiskPoint:
    """Re-assess a point; the level follows likelihood and impact."""
    post = point.power.post
    _ensure_unit_editor(actor, post.unit)
    _editable_review(post.unit, post.year, actor=actor)
    likelihood = changes.get("likelihood", point.likelihood)
    impact = changes.get("impact", point.impact)
    _check_scale(likelihood, impact)
    changes["level"] = risk_level(likelihood, impact)
    return audited_update(point, actor=actor, **changes)


@transaction.atomic
def risk_control_add(
    point: RiskPoint, *, actor, measure: str, rule_name: str = "", owner: str = ""
) -> RiskControl:
    """A prevention measure on a point, with the rule it rests on."""
    post = point.power.post
    _ensure_unit_editor(actor, post.unit)
    _editable_review(post.unit, post.year, actor=actor)
    return audited_create(
        RiskControl,
        actor=actor,
        risk_point=point,
        measure=(measure or "").strip(),
        rule_name=rule_name,
        owner=owner,
    )


@transaction.atomic
def risk_process_create(
    *, unit, year: int, name: str, actor, description: str = "", steps=()
) -> RiskProcess:
    """A business process: `steps` is a list of (name, post or None, [risk points])."""
    _ensure_unit_editor(actor, unit)
    _editable_review(unit, year, actor=actor)
    process = audited_create(
        RiskProcess,
        actor=actor,
        unit=unit,
        year=year,
        name=(name or "").strip(),
        description=description,
    )
    for number, (step_name, post, points) in enumerate(steps, start=1):
        if post is not None and (post.unit_id != unit.pk or post.year != year):
            raise ValidationError({"steps": _("流程环节的岗位须是本单位本年度的风险岗位。")})
        for point in points:
            if point.power.post.unit_id != unit.pk or point.power.post.year != year:
                raise ValidationError({"steps": _("流程环节的风险点须属于本单位本年度。")})
        audited_create(
            RiskProcessStep,
            actor=actor,
            process=process,
            number=number,
            name=step_name,
            post=post,
            m2m={"risk_points": list(points)},
        )
    return process


# --- The review workflow ------------------------------------------------------------------


def _lock(review: RiskReview) -> RiskReview:
    list(RiskReview._base_manager.select_for_update().filter(pk=review.pk).values("pk"))
    review.refresh_from_db()
    return review


@transaction.atomic
def risk_review_submit(review: RiskReview, *, actor, reason: str = "") -> RiskReview:
    """The unit submits its re-assessed map to the commission."""
    _ensure_unit_editor(actor, review.unit)
    review = _lock(review)
    if review.status not in EDITABLE:
        raise ValidationError(_("只有编制中或已退回的风险图可以提交审核。"))
    if not RiskPost.objects.filter(unit=review.unit, year=review.year).exists():
        raise ValidationError(_("风险图中还没有风险岗位,不能提交审核。"))
    review.submitted_on = timezone.localdate()
    return audited_transition(review, actor=actor, to_state=ReviewStatus.SUBMITTED, reason=reason)


@transaction.atomic
def risk_review_approve(review: RiskReview, *, actor, comment: str = "") -> RiskReview:
    """The commission approves the map; it is frozen from then on."""
    ensure_commission(actor)
    review = _lock(review)
    if review.status != ReviewStatus.SUBMITTED:
        raise ValidationError(_("只有待审核的风险图可以审定。"))
    review.approved_on = timezone.localdate()
    review.comment = comment
    return audited_transition(review, actor=actor, to_state=ReviewStatus.APPROVED, reason=comment)


@transaction.atomic
def risk_review_return(review: RiskReview, *, actor, comment: str) -> RiskReview:
    """The commission sends the map back for correction, saying why."""
    ensure_commission(actor)
    if not (comment or "").strip():
        raise ValidationError({"comment": _("退回时须填写审核意见。")})
    review = _lock(review)
    if review.status != ReviewStatus.SUBMITTED:
        raise ValidationError(_("只有待审核的风险图可以退回。"))
    review.comment = comment
    return audited_transition(review, actor=actor, to_state=ReviewStatus.RETURNED, reason=comment)

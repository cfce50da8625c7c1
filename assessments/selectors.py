"""Reads of the assessments app. Every function scopes first (`restrict`)."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404

from assessments.models import (
    AssessmentScheme,
    Deduction,
    LeaderReview,
    OutcomeProposal,
    Score,
    ScoreSheet,
    UnitAssessment,
)
from pingxiang_cf.selectors import transitions_visible_to


def schemes(user):
    return AssessmentScheme.objects.restrict(user).annotate(
        indicator_count=Count("indicators", distinct=True),
        assessment_count=Count("assessments", distinct=True),
    )


def scheme_for(user, year: int) -> AssessmentScheme:
    return get_object_or_404(AssessmentScheme.objects.restrict(user), year=year)


def assessment_list(user):
    """The assessments the user may see, with what the list shows (3 joins, no
    per-row query)."""
    return UnitAssessment.objects.restrict(user).select_related("unit", "scheme")


def assessment_detail(user, pk: int) -> UnitAssessment:
    """One assessment with its scores, deduction lines and leaders; 404 if the
    user may not see it."""
    scores = Score.objects.select_related("indicator", "assessed_by").prefetch_related(
        Prefetch("deductions", queryset=Deduction.objects.order_by("sort_order", "pk"))
    )
    return get_object_or_404(
        assessment_list(user).prefetch_related(
            Prefetch(
                "scores", queryset=scores.order_by("indicator__sort_order", "indicator__code")
            ),
            Prefetch("leader_reviews", queryset=LeaderReview.objects.select_related("official")),
        ),
        pk=pk,
    )


def assessment_history(user, assessment):
    from django.contrib.contenttypes.models import ContentType

    from pingxiang_cf.models import Transition

    rows = Transition.objects.filter(
        content_type=ContentType.objects.get_for_model(UnitAssessment),
        object_id=str(assessment.pk),
    ).select_related("actor")
    return transitions_visible_to(user, rows).order_by("created_at", "pk")


def ranking(user, scheme: AssessmentScheme):
    """The scheme's assessments the user may see, by group then rank."""
    return assessment_list(user).filter(scheme=scheme).order_by("group", "rank", "unit__code")


def sheets_for(user, assessment):
    return ScoreSheet.objects.restrict(user).filter(assessment=assessment)


def summary_sheet(user, scheme):
    """The summary XLSX of a scheme: it lists every unit, so only users who see
    every unit (commission, auditors, city leaders) may download it."""
    from pingxiang_cf.scope import get_user_scope

    if not get_user_scope(user).sees_all:
        return None
    return ScoreSheet.objects.filter(scheme=scheme, assessment__isnull=True, kind="xlsx").first()


def proposals(user, scheme):
    return (
        OutcomeProposal.objects.restrict(user)
        .filter(scheme=scheme)
        .select_related("unit", "official__unit", "source_assessment", "source_finding")
        .order_by("kind", "status", "pk")
    )


def manual_pending_count(scheme) -> int:
    return Score.objects.filter(assessment__scheme=scheme, pending=True).count()


def status_counts(user, scheme) -> dict:
    return (
        assessment_list(user)
        .filter(scheme=scheme)
        .aggregate(
            total=Count("pk"),
            published=Count("pk", filter=Q(status="published")),
            reviewed=Count("pk", filter=Q(status="reviewed")),
        )
    )

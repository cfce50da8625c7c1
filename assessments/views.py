"""Pages of the annual assessment. Reads go through assessments.selectors
(restricted to the user: out of scope is 404), writes call one service each
(a user who may not act gets 403 from the service's PermissionDenied)."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from assessments import exports, selectors, services
from assessments.choices import AssessmentGroup, AssessmentStatus, RuleKind, SchemeStatus
from assessments.filters import UnitAssessmentFilterSet
from assessments.forms import (
    ApproveForm,
    IndicatorForm,
    ManualScoreForm,
    ReasonForm,
    ReviewForm,
    SchemeCopyForm,
    SchemeForm,
)
from assessments.models import OutcomeProposal, ScoreSheet
from pingxiang_cf.pdf import pdf_response

PAGE_SIZE = 50
COLUMNS = (
    ("year", gettext_lazy("年度")),
    ("unit", gettext_lazy("单位")),
    ("group", gettext_lazy("考核组别")),
    ("total", gettext_lazy("总分")),
    ("rank", gettext_lazy("组内排名")),
    ("grade", gettext_lazy("等次")),
    ("status", gettext_lazy("状态")),
)


def _errors(exc: ValidationError) -> list[str]:
    return exc.messages


def _sort_columns(current: str):
    columns = []
    for param, label in COLUMNS:
        column = {"label": label, "param": param, "active": None, "next": param}
        if current == param:
            column.update(active="asc", next=f"-{param}")
        elif current == f"-{param}":
            column.update(active="desc", next=param)
        columns.append(column)
    return columns


# --- Schemes ---------------------------------------------------------------------------


@login_required
@require_GET
def scheme_list(request):
    return render(
        request,
        "assessments/scheme_list.html",
        {
            "schemes": selectors.schemes(request.user),
            "is_commission": services.is_commission(request.user),
            "copy_form": SchemeCopyForm(),
        },
    )


def _grouped_indicators(scheme):
    groups = defaultdict(list)
    for indicator in scheme.indicators.order_by("sort_order", "code"):
        groups[indicator.category].append(indicator)
    return list(groups.items())


@login_required
def scheme_detail(request, year):
    scheme = selectors.scheme_for(request.user, year)
    is_commission = services.is_commission(request.user)
    form = IndicatorForm()
    if request.method == "POST":
        if not is_commission:
            raise PermissionDenied
        form = IndicatorForm(request.POST)
        if form.is_valid():
            try:
                services.indicator_create(scheme=scheme, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                for message in _errors(exc):
                    form.add_error(None, message)
            else:
                messages.success(request, _("指标已添加。"))
                return redirect("assessments:scheme", year=year)
    summary_sheet = selectors.summary_sheet(request.user, scheme)
    return render(
        request,
        "assessments/scheme_detail.html",
        {
            "scheme": scheme,
            "groups": _grouped_indicators(scheme),
            "problems": services.scheme_problems(scheme),
            "is_commission": is_commission,
            "form": form,
            "counts": selectors.status_counts(request.user, scheme),
            "pending": selectors.manual_pending_count(scheme) if is_commission else None,
            "proposals": selectors.proposals(request.user, scheme),
            "approve_form": ApproveForm(),
            "summary_sheet": summary_sheet,
            "editable": scheme.status == SchemeStatus.DRAFT,
            "scheme_form": SchemeForm(
                initial={name: getattr(scheme, name) for name in SchemeForm.base_fields}
            ),
        },
    )


def _post_action(request, year, action, success):
    scheme = selectors.scheme_for(request.user, year)
    try:
        action(scheme)
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("assessments:scheme", year=scheme.year)


@login_required
@require_POST
def scheme_copy(request, year):
    scheme = selectors.scheme_for(request.user, year)
    form = SchemeCopyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请输入有效的年度。"))
        return redirect("assessments:schemes")
    try:
        new = services.scheme_copy(
            scheme=scheme, year=form.cleaned_data["year"], actor=request.user
        )
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
        return redirect("assessments:schemes")
    messages.success(request, _("已复制为%(year)s年度考核方案(草稿)。") % {"year": new.year})
    return redirect("assessments:scheme", year=new.year)


@login_required
@require_POST
def scheme_edit(request, year):
    """The draft's title, number, grade thresholds and caps."""
    form = SchemeForm(request.POST)

    def update(scheme):
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        services.scheme_update(scheme=scheme, actor=request.user, **form.cleaned_data)

    return _post_action(request, year, update, _("方案已保存。"))


@login_required
@require_POST
def indicator_delete(request, year, pk):
    def delete(scheme):
        indicator = get_object_or_404(scheme.indicators, pk=pk)
        services.indicator_delete(indicator=indicator, actor=request.user)

    return _post_action(request, year, delete, _("指标已删除。"))


@login_required
@require_POST
def scheme_open(request, year):
    return _post_action(
        request,
        year,
        lambda s: services.assessment_year_open(scheme=s, actor=request.user),
        _("年度考核已启动,自动计分已在后台进行。"),
    )


@login_required
@require_POST
def scheme_compute(request, year):
    def compute(scheme):
        from assessments.tasks import compute_scheme

        services._ensure_commission(request.user)
        compute_scheme.delay(scheme.pk, request.user.pk)

    return _post_action(request, year, compute, _("已重新计算自动计分指标。"))


@login_required
@require_POST
def scheme_publish(request, year):
    return _post_action(
        request,
        year,
        lambda s: services.scheme_publish(scheme=s, actor=request.user),
        _("考核结果已公布。"),
    )


@login_required
@require_POST
def scheme_sheets(request, year):
    """Start the score-sheet job and show its progress page at once."""
    from assessments.tasks import generate_score_sheets
    from pingxiang_cf.jobs import job_create, job_enqueue

    scheme = selectors.scheme_for(request.user, year)
    if not services.is_commission(request.user):
        raise PermissionDenied
    job = job_create(
        kind="assessment_sheets",
        key=str(scheme.pk),
        title=_("%(year)s年度考核评分表") % {"year": scheme.year},
        user=request.user,
    )
    job_enqueue(job, generate_score_sheets, scheme.pk)
    return redirect("jobs:detail", code=job.code)


@login_required
@require_POST
def proposals_suggest(request, year):
    def suggest(scheme):
        n = services.proposals_suggest(scheme=scheme, actor=request.user)
        messages.info(request, _("新增%(n)s条建议。") % {"n": n})

    return _post_action(request, year, suggest, _("已根据公布的排名和督查问题提出建议。"))


@login_required
@require_POST
def proposal_decide(request, pk, decision):
    proposal = get_object_or_404(OutcomeProposal.objects.restrict(request.user), pk=pk)
    year = proposal.scheme.year
    try:
        if decision == "approve":
            form = ApproveForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("请填写决定日期。"))
            services.proposal_approve(proposal=proposal, actor=request.user, **form.cleaned_data)
        else:
            services.proposal_reject(
                proposal=proposal, actor=request.user, reason=request.POST.get("reason", "")
            )
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("已处理。"))
    return redirect("assessments:scheme", year=year)


# --- Assessments -----------------------------------------------------------------------


@login_required
@require_GET
def assessment_list(request):
    filterset = UnitAssessmentFilterSet(
        request.GET or None, queryset=selectors.assessment_list(request.user), request=request
    )
    paginator = Paginator(filterset.qs, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    active = [
        n for n in filterset.filters if n != "o" and filterset.form.data.get(n) not in (None, "")
    ]
    return render(
        request,
        "assessments/assessment_list.html",
        {
            "filter": filterset,
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "columns": _sort_columns(request.GET.get("o", "")),
            "active_filters": active,
        },
    )


@login_required
@require_GET
def assessment_detail(request, pk):
    a = selectors.assessment_detail(request.user, pk)
    is_commission = services.is_commission(request.user)
    labels = dict(AssessmentStatus.choices)
    return render(
        request,
        "assessments/assessment_detail.html",
        {
            "a": a,
            "scores": list(a.scores.all()),
            "leaders": list(a.leader_reviews.all()),
            "history": [
                (t, labels.get(t.from_state, t.from_state), labels.get(t.to_state, t.to_state))
                for t in selectors.assessment_history(request.user, a)
            ],
            "is_commission": is_commission,
            "can_self_score": services.can_self_score(request.user, a),
            "sheets": selectors.sheets_for(request.user, a),
            "review_form": ReviewForm(
                initial={"conduct_score": a.conduct_score, "conduct_comment": a.conduct_comment}
            ),
            "reopen_form": ReasonForm(),
        },
    )


@login_required
def score_edit(request, pk, indicator_id):
    a = selectors.assessment_detail(request.user, pk)
    score = next((s for s in a.scores.all() if s.indicator_id == indicator_id), None)
    if score is None:
        raise Http404
    if not services.is_commission(request.user):
        raise PermissionDenied
    indicator = score.indicator
    lines = [d for d in score.deductions.all() if d.source == "manual"]
    initial = {"points": score.points, "vetoed": score.vetoed}
    for n, d in enumerate(lines[:3], start=1):
        initial.update(
            {
                f"line{n}_points": d.points,
                f"line{n}_reason": d.reason,
                f"line{n}_evidence": d.evidence,
            }
        )
    form = ManualScoreForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.score_manual(
                assessment=a,
                indicator=indicator,
                points=form.cleaned_data["points"],
                lines=form.lines(),
                vetoed=form.cleaned_data["vetoed"],
                actor=request.user,
            )
        except ValidationError as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("评分已保存。"))
            return redirect("assessments:detail", pk=a.pk)
    return render(
        request,
        "assessments/score_form.html",
        {
            "a": a,
            "score": score,
            "indicator": indicator,
            "form": form,
            "is_veto": indicator.rule_kind == RuleKind.VETO,
        },
    )


@login_required
def self_score(request, pk):
    a = selectors.assessment_detail(request.user, pk)
    if not services.can_self_score(request.user, a):
        raise PermissionDenied
    scores = [s for s in a.scores.all() if s.max_points]
    errors = []
    if request.method == "POST":
        entries = {
            s.indicator_id: {
                "self_points": request.POST.get(f"self_{s.indicator_id}", ""),
                "comment": request.POST.get(f"comment_{s.indicator_id}", ""),
            }
            for s in scores
        }
        try:
            services.assessment_self_score(
                assessment=a,
                actor=request.user,
                entries=entries,
                comment=request.POST.get("comment", ""),
            )
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            messages.success(request, _("自评已保存。"))
            return redirect("assessments:detail", pk=a.pk)
    return render(
        request, "assessments/self_score.html", {"a": a, "scores": scores, "errors": errors}
    )


def _detail_action(request, pk, action, success):
    a = selectors.assessment_detail(request.user, pk)
    try:
        action(a)
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("assessments:detail", pk=a.pk)


@login_required
@require_POST
def assessment_review(request, pk):
    form = ReviewForm(request.POST)
    form.is_valid()
    grades = {
        key.removeprefix("grade_"): {"cadre_grade": value}
        for key, value in request.POST.items()
        if key.startswith("grade_")
    }
    return _detail_action(
        request,
        pk,
        lambda a: services.assessment_review(
            assessment=a, actor=request.user, leader_grades=grades, **form.cleaned_data
        ),
        _("已审核(三者同步)。"),
    )


@login_required
@require_POST
def assessment_reopen(request, pk):
    return _detail_action(
        request,
        pk,
        lambda a: services.assessment_reopen(
            assessment=a, actor=request.user, reason=request.POST.get("reason", "")
        ),
        _("已重新打开,理由已记录。"),
    )


@login_required
@require_GET
def assessment_pdf(request, pk):
    a = selectors.assessment_detail(request.user, pk)
    return pdf_response(exports.render_sheet_pdf(a), exports.sheet_filename(a))


@login_required
@require_GET
def sheet_download(request, pk):
    sheet = ScoreSheet.objects.filter(pk=pk).select_related("scheme").first()
    if sheet is None:
        raise Http404
    if sheet.assessment_id is None:
        if selectors.summary_sheet(request.user, sheet.scheme) is None:
            raise Http404
    elif not ScoreSheet.objects.restrict(request.user).filter(pk=pk).exists():
        raise Http404
    try:
        handle = sheet.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    name = sheet.file.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name)


# --- Ranking ----------------------------------------------------------------------------


@login_required
@require_GET
def ranking(request, year):
    scheme = selectors.scheme_for(request.user, year)
    groups = defaultdict(list)
    for a in selectors.ranking(request.user, scheme):
        groups[a.group].append(a)
    tables = []
    for group in AssessmentGroup:
        rows = groups.get(group.value, [])
        counts = defaultdict(int)
        for a in rows:
            counts[a.rank] += 1
        tables.append({"label": group.label, "rows": [(a, counts[a.rank] > 1) for a in rows]})
    return render(
        request,
        "assessments/ranking.html",
        {"scheme": scheme, "tables": tables, "detail_url": reverse("assessments:list")},
    )

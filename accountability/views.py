"""Pages of the accountability app: responsibility letters, leading groups,
risk maps, the commendation and accountability register, officials.

Views are thin. Reads go through accountability.selectors (restricted to the
user first: an object out of reach is a 404), lists through
accountability.filters; a user who may see but not act gets a 403; each
write page validates the input's shape with a form and calls one service,
and a ValidationError from the service goes back onto the form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from accountability import charts, exports, filters, forms, selectors, services, tasks
from accountability.choices import LetterLevel, LetterStatus, OutcomeStatus, ReviewStatus
from accountability.models import (
    AccountabilityCase,
    Commendation,
    LeadingGroupMember,
    ResponsibilityLetter,
    RiskPoint,
    RiskPost,
    RiskPower,
    RiskReview,
    Unit,
)
from accountability.services.permissions import can_manage, edits_unit
from accountability.services.risk import review_editable
from pingxiang_cf.models import Transition
from pingxiang_cf.parsing import positive_id
from pingxiang_cf.scope import CHANGE, VIEW, can
from pingxiang_cf.selectors import transitions_visible_to
from projects.actions import put_errors

PAGE_SIZE = 50


# --- Helpers ---------------------------------------------------------------------------------


def _visible(queryset, user, **lookup):
    obj = queryset.restrict(user, VIEW).filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


def _deny_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("您没有权限执行此操作。"))


def _sort_columns(columns, current: str):
    result = []
    for param, label in columns:
        column = {"label": label, "param": param, "active": None}
        if param:
            if current == param:
                column.update(active="asc", next=f"-{param}")
            elif current == f"-{param}":
                column.update(active="desc", next=param)
            else:
                column["next"] = param
        result.append(column)
    return result


def _list_page(
    request,
    *,
    filterset_class,
    queryset,
    template,
    columns,
    export_columns,
    basename,
    rows=None,
    **context,
):
    """Filters, `q`, sorting, CSV export (`?export=csv`, same filters) and 50
    rows a page. `rows(page_objects)` may decorate the rows of a page."""
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    queryset = filterset.qs
    if request.GET.get("export") == "csv":
        return exports.csv_response(export_columns, queryset, basename)
    paginator = Paginator(queryset, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    if rows is not None:
        page.object_list = rows(page.object_list)
    return render(
        request,
        template,
        {
            "filter": filterset,
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "columns": _sort_columns(columns, request.GET.get("o", "")),
            "active_filters": filterset.active,
            **context,
        },
    )


def _form_page(
    request,
    form,
    *,
    heading,
    submit,
    back,
    run,
    success,
    then=None,
    danger=False,
    intro="",
    **context,
):
    """Render `form`; on a valid POST call `run(cleaned_data)` (one service),
    then flash `success` and redirect to `then`, or to what `run` returns."""
    if request.method == "POST" and form.is_valid():
        try:
            result = run(form.cleaned_data)
        except ValidationError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(then or result)
    return render(
        request,
        "accountability/form.html",
        {
            "form": form,
            "heading": heading,
            "submit": submit,
            "back": back,
            "danger": danger,
            "intro": intro,
            **context,
        },
    )


def _confirm_post(request, *, run, success, back, then=None):
    """A confirmed POST button calling one service; back to `then` (or to
    what `run` returns), or to `back` with the service's messages."""
    try:
        result = run()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(back)
    messages.success(request, success)
    return redirect(then or result)


def _history(user, obj):
    rows = Transition.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("actor")
    return transitions_visible_to(user, rows).order_by("created_at", "pk")


def _file_response(field, name):
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=name or field.name.rsplit("/", 1)[-1])


def _data(request):
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


# --- Responsibility letters ---------------------------------------------------------------

LETTER_COLUMNS = (
    ("year", _lazy("年度")),
    ("title", _lazy("标题")),
    (None, _lazy("签订层级")),
    ("recipient", _lazy("乙方")),
    ("status", _lazy("状态")),
    ("signed_on", _lazy("签订日期")),
)


@login_required
def letter_list(request):
    return _list_page(
        request,
        filterset_class=filters.LetterFilterSet,
        queryset=selectors.letter_list(request.user),
        template="accountability/letter_list.html",
        columns=LETTER_COLUMNS,
        export_columns=exports.LETTER_COLUMNS,
        basename="letters",
        can_generate=can_manage(request.user),
    )


def _letter(user, code) -> ResponsibilityLetter:
    letter = selectors.letter_detail(user, code)
    if letter is None:
        raise Http404
    return letter


def _letter_url(letter) -> str:
    return reverse("accountability:letter-detail", args=[letter.code])


@login_required
def letter_detail(request, code):
    letter = _letter(request.user, code)
    may_change = can(request.user, letter, CHANGE)
    return render(
        request,
        "accountability/letter_detail.html",
        {
            "letter": letter,
            "clauses": selectors.letter_clauses(letter),
            "cascaded": letter.cascaded.select_related(
                "recipient_unit", "recipient_section"
            ).order_by("level", "recipient_unit__path", "recipient_section__sort_order", "pk"),
            "history": _history(request.user, letter),
            "can_issue": may_change and letter.status == LetterStatus.DRAFT,
            "can_sign": may_change and letter.status == LetterStatus.ISSUED,
            "can_cascade": letter.level == LetterLevel.CITY_TO_LEAD
            and letter.status != LetterStatus.DRAFT
            and edits_unit(request.user, letter.recipient_unit),
        },
    )


@login_required
def letter_pdf(request, code):
    # WeasyPrint is imported on first use: it is slow to load and logs as it does.
    from pingxiang_cf.pdf import pdf_response, render_pdf

    letter = _letter(request.user, code)
    pdf = render_pdf(
        "accountability/pdf/letter.html",
        {"letter": letter, "clauses": list(selectors.letter_clauses(letter))},
    )
    return pdf_response(pdf, f"letter-{letter.year}-{letter.code}.pdf")


@login_required
def letter_scan(request, code):
    letter = _letter(request.user, code)
    if not letter.scanned_copy:
        raise Http404
    return _file_response(letter.scanned_copy, letter.scanned_name)


@login_required
@require_POST
def letter_issue(request, code):
    letter = _letter(request.user, code)
    _deny_unless(can(request.user, letter, CHANGE))
    return _confirm_post(
        request,
        run=lambda: _letter_url(services.letter_issue(letter, actor=request.user)),
        success=_("责任书已下发,等待乙方签订。"),
        back=_letter_url(letter),
    )


@login_required
@require_POST
def letter_cascade(request, code):
    letter = _letter(request.user, code)
    _deny_unless(edits_unit(request.user, letter.recipient_unit))

    def run():
        result = services.letter_cascade(letter, actor=request.user)
        messages.info(
            request,
            _("新生成%(created)d份,已存在%(skipped)d份。")
            % {"created": len(result.created), "skipped": result.skipped},
        )
        return _letter_url(letter) + "#cascaded"

    return _confirm_post(
        request, run=run, success=_("责任书已向下分解。"), back=_letter_url(letter)
    )


@login_required
def letter_sign(request, code):
    letter = _letter(request.user, code)
    _deny_unless(can(request.user, letter, CHANGE))
    data, files = _data(request)
    form = forms.LetterSignForm(data, files)
    return _form_page(
        request,
        form,
        heading=_("登记签订"),
        intro=letter.title,
        submit=_("登记签订"),
        back=_letter_url(letter),
        run=lambda d: _letter_url(
            services.letter_sign(
                letter,
                actor=request.user,
                signed_on=d["signed_on"],
                scanned_copy=d.get("scanned_copy"),
            )
        ),
        success=_("已登记签订。"),
        multipart=True,
    )


@login_required
def letter_generate(request):
    _deny_unless(can_manage(request.user))
    data, _files = _data(request)
    form = forms.GenerateLettersForm(data, user=request.user)

    def run(d):
        return tasks.start_letter_generation(
            user=request.user, year=d["year"], issuer_signatory=d.get("issuer_signatory")
        )

    return _form_page(
        request,
        form,
        heading=_("生成年度责任书"),
        intro=_("为该年度有牵头项目的每个单位生成市委与牵头单位的责任书(已有的不重复生成)。"),
        submit=_("开始生成"),
        back=reverse("accountability:letters"),
        run=run,
        success=_("已开始生成责任书。"),
    )


@login_required
def letter_completeness(request):
    years = selectors.letter_years(request.user)
    try:
        year = int(request.GET.get("year") or (years[0] if years else timezone.localdate().year))
    except ValueError as exc:
        raise Http404 from exc
    level = request.GET.get("level", "")
    if level not in LetterLevel.values:
        level = ""
    rows, total = selectors.letter_completeness(request.user, year, level=level)
    return render(
        request,
        "accountability/letter_completeness.html",
        {
            "year": year,
            "years": years,
            "rows": rows,
            "total": total,
            "level": level,
            "levels": LetterLevel.choices,
        },
    )


# --- Leading groups ------------------------------------------------------------------------

GROUP_COLUMNS = (
    ("name", _lazy("名称")),
    ("unit", _lazy("所属单位")),
    (None, _lazy("办公室")),
    ("established_on", _lazy("成立日期")),
    (None, _lazy("在任成员")),
    (None, _lazy("状态")),
)


@login_required
def group_list(request):
    return _list_page(
        request,
        filterset_class=filters.GroupFilterSet,
        queryset=selectors.group_list(request.user),
        template="accountability/group_list.html",
        columns=GROUP_COLUMNS,
        export_columns=exports.GROUP_COLUMNS,
        basename="leading-groups",
        can_create=bool(forms.GroupForm(user=request.user).fields["unit"].queryset.exists()),
    )


def _group_url(group) -> str:
    return reverse("accountability:group-detail", args=[group.pk])


@login_required
def group_detail(request, pk):
    group = selectors.group_detail(request.user, pk)
    if group is None:
        raise Http404
    seats = list(selectors.group_seats(group))
    return render(
        request,
        "accountability/group_detail.html",
        {
            "group": group,
            "current": [s for s in seats if s.end_on is None],
            "past": sorted(
                (s for s in seats if s.end_on), key=lambda s: (s.end_on, s.pk), reverse=True
            ),
            "can_edit": edits_unit(request.user, group.unit) and not group.dissolved_on,
        },
    )


@login_required
def group_create(request):
    data, _files = _data(request)
    form = forms.GroupForm(data, user=request.user)
    _deny_unless(form.fields["unit"].queryset.exists())
    return _form_page(
        request,
        form,
        heading=_("新建领导小组"),
        submit=_("保存"),
        back=reverse("accountability:groups"),
        run=lambda d: _group_url(services.group_create(actor=request.user, **d)),
        success=_("领导小组已建立。"),
    )


def _editable_group(request, pk):
    group = selectors.group_detail(request.user, pk)
    if group is None:
        raise Http404
    _deny_unless(edits_unit(request.user, group.unit))
    return group


@login_required
def group_member_add(request, pk):
    group = _editable_group(request, pk)
    data, _files = _data(request)
    form = forms.GroupMemberForm(data, user=request.user, group=group)
    return _form_page(
        request,
        form,
        heading=_("调整领导小组成员"),
        intro=_("组长和办公室主任为单一职位:新任人员任职后,原任人员自动离任(前一日)。"),
        submit=_("保存"),
        back=_group_url(group),
        run=lambda d: services.group_member_add(group, actor=request.user, **d),
        then=_group_url(group),
        success=_("成员已调整,历史记录已保留。"),
    )


@login_required
def group_member_end(request, pk):
    seat = _visible(
        LeadingGroupMember.objects.select_related("group__unit", "official"), request.user, pk=pk
    )
    _deny_unless(edits_unit(request.user, seat.group.unit))
    data, _files = _data(request)
    return _form_page(
        request,
        forms.EndDateForm(data),
        heading=_("成员离任"),
        intro=str(seat),
        submit=_("确认离任"),
        danger=True,
        back=_group_url(seat.group),
        run=lambda d: services.group_member_end(seat, actor=request.user, end_on=d["end_on"]),
        then=_group_url(seat.group),
        success=_("已登记离任。"),
    )


@login_required
def group_dissolve(request, pk):
    group = _editable_group(request, pk)
    data, _files = _data(request)
    return _form_page(
        request,
        forms.DissolveForm(data),
        heading=_("撤销领导小组"),
        intro=group.name,
        submit=_("确认撤销"),
        danger=True,
        back=_group_url(group),
        run=lambda d: _group_url(
            services.group_dissolve(
                group, actor=request.user, dissolved_on=d["dissolved_on"], reason=d["reason"]
            )
        ),
        success=_("领导小组已撤销。"),
    )


# --- Risk maps ----------------------------------------------------------------------------

REVIEW_COLUMNS = (
    ("year", _lazy("年度")),
    ("unit", _lazy("单位")),
    ("status", _lazy("状态")),
    (None, _lazy("提交日期")),
    (None, _lazy("审定日期")),
)
RISK_POST_COLUMNS = (
    ("year", _lazy("年度")),
    ("unit", _lazy("单位")),
    ("name", _lazy("岗位")),
    (None, _lazy("监管层级")),
    (None, _lazy("风险点")),
    ("high", _lazy("高风险点")),
)


@login_required
def risk_review_list(request):
    return _list_page(
        request,
        filterset_class=filters.RiskReviewFilterSet,
        queryset=selectors.risk_review_list(request.user),
        template="accountability/risk_review_list.html",
        columns=REVIEW_COLUMNS,
        export_columns=exports.REVIEW_COLUMNS,
        basename="risk-maps",
        own_units=selectors.own_editor_units(request.user),
    )


@login_required
def risk_post_list(request):
    return _list_page(
        request,
        filterset_class=filters.RiskPostFilterSet,
        queryset=selectors.risk_post_list(request.user),
        template="accountability/risk_post_list.html",
        columns=RISK_POST_COLUMNS,
        export_columns=exports.RISK_POST_COLUMNS,
        basename="risk-posts",
    )


def _map_url(unit, year) -> str:
    return reverse("accountability:risk-map", args=[unit.pk, year])


def _unit(user, pk) -> Unit:
    return _visible(Unit.objects.all(), user, pk=pk)


@login_required
def risk_map(request, unit_pk, year):
    unit = _unit(request.user, unit_pk)
    data = selectors.risk_map(request.user, unit, year)
    if data.review is None and not data.posts:
        raise Http404
    editable = services.can_edit_risk_map(request.user, unit) and review_editable(data.review)
    return render(
        request,
        "accountability/risk_map.html",
        {
            "map": data,
            "unit": unit,
            "year": year,
            "drawing": charts.draw_risk_map(data.posts, data.processes, data.rules),
            "editable": editable,
            "can_submit": editable and data.review is not None and bool(data.posts),
            "can_approve": can_manage(request.user)
            and data.review is not None
            and data.review.status == ReviewStatus.SUBMITTED,
            "history": _history(request.user, data.review) if data.review else [],
            "view": request.GET.get("view", "map"),
        },
    )


@login_required
def risk_review_start(request):
    data, _files = _data(request)
    form = forms.ReviewStartForm(data)
    unit_pk = positive_id(request.GET.get("unit") or request.POST.get("unit"))
    if unit_pk is None:
        raise Http404
    unit = _unit(request.user, unit_pk)
    _deny_unless(services.can_edit_risk_map(request.user, unit))
    return _form_page(
        request,
        form,
        heading=_("开展年度风险评估"),
        intro=_(
            "%(unit)s:新年度风险图将复制上一年度的岗位、职权、风险点、防控措施和业务流程,上一年度风险图保持不变,供对照。"
        )
        % {"unit": unit.name},
        submit=_("开始评估"),
        back=reverse("accountability:risk-maps"),
        run=lambda d: _map_url(
            unit, services.risk_review_start(unit=unit, year=d["year"], actor=request.user).year
        ),
        success=_("已开始年度风险评估。"),
        hidden={"unit": unit.pk},
    )


def _risk_editor(request, unit, year):
    _deny_unless(services.can_edit_risk_map(request.user, unit))


@login_required
def risk_post_create(request, unit_pk, year):
    unit = _unit(request.user, unit_pk)
    _risk_editor(request, unit, year)
    data, _files = _data(request)
    form = forms.RiskPostForm(data, user=request.user, unit=unit, year=year)
    return _form_page(
        request,
        form,
        heading=_("新增风险岗位(分岗确权)"),
        intro=f"{unit.name} · {year}",
        submit=_("保存"),
        back=_map_url(unit, year),
        run=lambda d: services.risk_post_create(unit=unit, year=year, actor=request.user, **d),
        then=_map_url(unit, year),
        success=_("风险岗位已保存。"),
    )


def _post(request, pk) -> RiskPost:
    post = _visible(RiskPost.objects.select_related("unit"), request.user, pk=pk)
    _risk_editor(request, post.unit, post.year)
    return post


@login_required
def risk_power_add(request, pk):
    post = _post(request, pk)
    data, _files = _data(request)
    return _form_page(
        request,
        forms.RiskPowerForm(data),
        heading=_("新增岗位职权"),
        intro=str(post),
        submit=_("保存"),
        back=_map_url(post.unit, post.year),
        run=lambda d: services.risk_power_add(post, actor=request.user, **d),
        then=_map_url(post.unit, post.year),
        success=_("职权已保存。"),
    )


@login_required
def risk_point_add(request, pk):
    power = _visible(RiskPower.objects.select_related("post__unit"), request.user, pk=pk)
    post = power.post
    _risk_editor(request, post.unit, post.year)
    data, _files = _data(request)
    return _form_page(
        request,
        forms.RiskPointForm(data),
        heading=_("新增廉政风险点(分险设防)"),
        intro=f"{post.name} · {power.name}",
        submit=_("保存"),
        back=_map_url(post.unit, post.year),
        run=lambda d: services.risk_point_add(power, actor=request.user, **d),
        then=_map_url(post.unit, post.year),
        success=_("风险点已保存,风险等级已按发生概率和影响程度计算。"),
    )


@login_required
def risk_point_edit(request, pk):
    point = _visible(RiskPoint.objects.select_related("power__post__unit"), request.user, pk=pk)
    post = point.power.post
    _risk_editor(request, post.unit, post.year)
    data, _files = _data(request)
    initial = {
        f: getattr(point, f)
        for f in ("description", "category", "likelihood", "impact", "handling")
    }
    return _form_page(
        request,
        forms.RiskPointForm(data, initial=initial),
        heading=_("重新评估风险点"),
        intro=f"{post.name} · {point.power.name}",
        submit=_("保存"),
        back=_map_url(post.unit, post.year),
        run=lambda d: services.risk_point_update(point, actor=request.user, **d),
        then=_map_url(post.unit, post.year),
        success=_("风险点已保存。"),
    )


@login_required
def risk_control_add(request, pk):
    point = _visible(RiskPoint.objects.select_related("power__post__unit"), request.user, pk=pk)
    post = point.power.post
    _risk_editor(request, post.unit, post.year)
    data, _files = _data(request)
    return _form_page(
        request,
        forms.RiskControlForm(data),
        heading=_("新增防控措施"),
        intro=point.description,
        submit=_("保存"),
        back=_map_url(post.unit, post.year),
        run=lambda d: services.risk_control_add(point, actor=request.user, **d),
        then=_map_url(post.unit, post.year),
        success=_("防控措施已保存。"),
    )


@login_required
def risk_process_create(request, unit_pk, year):
    unit = _unit(request.user, unit_pk)
    _risk_editor(request, unit, year)
    data, _files = _data(request)
    form = forms.RiskProcessForm(data, unit=unit, year=year)

    def run(d):
        steps = [
            (
                name,
                post,
                [p for power in post.powers.all() for p in power.risk_points.all()] if post else [],
            )
            for name, post in d["steps"]
        ]
        services.risk_process_create(
            unit=unit,
            year=year,
            actor=request.user,
            name=d["name"],
            description=d["description"],
            steps=steps,
        )
        return _map_url(unit, year)

    return _form_page(
        request,
        form,
        heading=_("新增业务流程"),
        intro=f"{unit.name} · {year}",
        submit=_("保存"),
        back=_map_url(unit, year),
        run=run,
        success=_("业务流程已保存。"),
    )


def _review(request, unit_pk, year) -> RiskReview:
    unit = _unit(request.user, unit_pk)
    review = RiskReview.objects.filter(unit=unit, year=year).select_related("unit").first()
    if review is None:
        raise Http404
    return review


@login_required
@require_POST
def risk_review_submit(request, unit_pk, year):
    review = _review(request, unit_pk, year)
    _deny_unless(services.can_edit_risk_map(request.user, review.unit))
    return _confirm_post(
        request,
        run=lambda: services.risk_review_submit(review, actor=request.user),
        then=_map_url(review.unit, year),
        success=_("风险图已提交纪委审核。"),
        back=_map_url(review.unit, year),
    )


@login_required
def risk_review_decide(request, unit_pk, year, decision):
    review = _review(request, unit_pk, year)
    _deny_unless(can_manage(request.user))
    data, _files = _data(request)
    approve = decision == "approve"
    form = forms.CommentForm(data) if approve else forms.RequiredCommentForm(data)
    service = services.risk_review_approve if approve else services.risk_review_return
    return _form_page(
        request,
        form,
        heading=_("审定风险图") if approve else _("退回风险图"),
        intro=str(review),
        submit=_("审定通过") if approve else _("退回修改"),
        danger=not approve,
        back=_map_url(review.unit, year),
        run=lambda d: service(review, actor=request.user, comment=d["comment"]),
        then=_map_url(review.unit, year),
        success=_("风险图已审定。") if approve else _("风险图已退回。"),
    )


# --- The register -----------------------------------------------------------------------------

OUTCOME_COLUMNS = (
    ("year", _lazy("年度")),
    (None, _lazy("对象")),
    (None, _lazy("事项")),
    (None, _lazy("来源")),
    ("status", _lazy("状态")),
    ("decided_on", _lazy("决定")),
)


@login_required
def register(request):
    return render(
        request,
        "accountability/register.html",
        {
            "stats": selectors.register_statistics(request.user),
            "can_manage": can_manage(request.user),
        },
    )


@login_required
def commendation_list(request):
    return _list_page(
        request,
        filterset_class=filters.CommendationFilterSet,
        queryset=selectors.commendation_list(request.user),
        template="accountability/outcome_list.html",
        columns=OUTCOME_COLUMNS,
        export_columns=exports.COMMENDATION_COLUMNS,
        basename="commendations",
        kind="commendation",
        can_manage=can_manage(request.user),
    )


@login_required
def case_list(request):
    return _list_page(
        request,
        filterset_class=filters.CaseFilterSet,
        queryset=selectors.case_list(request.user),
        template="accountability/outcome_list.html",
        columns=OUTCOME_COLUMNS,
        export_columns=exports.CASE_COLUMNS,
        basename="accountability-cases",
        kind="case",
        can_manage=can_manage(request.user),
    )


def _outcome(request, model, pk):
    return _visible(model.objects.select_related("unit", "official__unit"), request.user, pk=pk)


def _outcome_url(obj) -> str:
    name = "commendation-detail" if isinstance(obj, Commendation) else "case-detail"
    return reverse(f"accountability:{name}", args=[obj.pk])


@login_required
def outcome_detail(request, pk, kind):
    model = Commendation if kind == "commendation" else AccountabilityCase
    obj = _outcome(request, model, pk)
    manage = can_manage(request.user)
    return render(
        request,
        "accountability/outcome_detail.html",
        {
            "obj": obj,
            "kind": kind,
            "history": _history(request.user, obj),
            "manage": manage,
            "can_state": kind == "case"
            and obj.status == OutcomeStatus.STATEMENT
            and services.can_state_case(request.user, obj),
            "statuses": OutcomeStatus,
        },
    )


@login_required
def outcome_create(request, kind):
    _deny_unless(can_manage(request.user))
    data, _files = _data(request)
    if kind == "commendation":
        form = forms.CommendationForm(data, user=request.user)
        service, heading = services.commendation_propose, _("拟定表彰")
    else:
        form = forms.CaseForm(data, user=request.user)
        service, heading = services.case_propose, _("拟定责任追究")
    return _form_page(
        request,
        form,
        heading=heading,
        submit=_("保存"),
        back=reverse(
            "accountability:commendations" if kind == "commendation" else "accountability:cases"
        ),
        run=lambda d: _outcome_url(service(actor=request.user, **d)),
        success=_("已登记。"),
    )


@login_required
def outcome_decision_file(request, pk, kind):
    model = Commendation if kind == "commendation" else AccountabilityCase
    obj = _outcome(request, model, pk)
    if not obj.decision_file:
        raise Http404
    return _file_response(obj.decision_file, obj.decision_file_name)


@login_required
def commendation_decide(request, pk):
    obj = _outcome(request, Commendation, pk)
    _deny_unless(can_manage(request.user))
    data, files = _data(request)
    return _form_page(
        request,
        forms.DecideForm(data, files),
        heading=_("作出表彰决定"),
        intro=str(obj),
        submit=_("保存决定"),
        back=_outcome_url(obj),
        run=lambda d: _outcome_url(services.commendation_decide(obj, actor=request.user, **d)),
        success=_("表彰决定已登记。"),
        multipart=True,
    )


@login_required
def case_step(request, pk, step):
    obj = _outcome(request, AccountabilityCase, pk)
    if step == "statement":
        _deny_unless(services.can_state_case(request.user, obj))
    else:
        _deny_unless(can_manage(request.user))
    data, files = _data(request)
    steps = {
        "statement-request": (
            forms.StatementRequestForm(data),
            _("告知陈述申辩"),
            lambda d: services.case_request_statement(
                obj, actor=request.user, deadline=d["deadline"]
            ),
            _("已告知陈述申辩权利。"),
        ),
        "statement": (
            forms.StatementForm(data),
            _("登记陈述申辩意见"),
            lambda d: services.case_statement_record(obj, actor=request.user, **d),
            _("陈述申辩意见已登记。"),
        ),
        "decide": (
            forms.CaseDecideForm(data, files, initial={"measure": obj.measure}),
            _("作出追究决定"),
            lambda d: services.case_decide(obj, actor=request.user, **d),
            _("追究决定已登记。"),
        ),
        "withdraw": (
            forms.WithdrawForm(data),
            _("撤销追究"),
            lambda d: services.case_withdraw(obj, actor=request.user, reason=d["reason"]),
            _("已撤销。"),
        ),
    }
    if step not in steps:
        raise Http404
    form, heading, service, success = steps[step]
    return _form_page(
        request,
        form,
        heading=heading,
        intro=str(obj),
        submit=heading,
        danger=step == "withdraw",
        back=_outcome_url(obj),
        run=service,
        then=_outcome_url(obj),
        success=success,
        multipart=step == "decide",
    )


# --- Officials ------------------------------------------------------------------------------

OFFICIAL_COLUMNS = (
    ("name", _lazy("姓名")),
    ("unit", _lazy("单位")),
    (None, _lazy("职务")),
    ("rank", _lazy("职级")),
    (None, _lazy("联系电话")),
)


@login_required
def official_list(request):
    user = request.user
    if request.GET.get("export") == "csv":
        filterset = filters.OfficialFilterSet(
            request.GET, queryset=selectors.official_list(user), request=request
        )
        rows = selectors.with_personal_data(user, filterset.qs)
        with transaction.atomic():
            services.officials_export_audit(
                actor=user,
                count=len(rows),
                unmasked=sum(1 for r in rows if not r.phone_masked),
                query=request.GET.urlencode(),
            )
        return exports.csv_response(exports.OFFICIAL_COLUMNS, rows, "officials")
    return _list_page(
        request,
        filterset_class=filters.OfficialFilterSet,
        queryset=selectors.official_list(user),
        template="accountability/official_list.html",
        columns=OFFICIAL_COLUMNS,
        export_columns=exports.OFFICIAL_COLUMNS,
        basename="officials",
        rows=lambda objects: _officials_shown(request, objects),
    )


def _officials_shown(request, objects) -> list:
    """The page's officials with their phones as this user may see them; a
    page that shows any unmasked is audited (who saw whose details)."""
    rows = selectors.with_personal_data(request.user, objects)
    services.officials_view_audit(actor=request.user, officials=rows, request=request)
    return rows

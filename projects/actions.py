"""The write pages of the project workspace. Each view fetches its object
through `restrict(user, "view")` (not visible: 404), refuses a user who may
see but not act (403), validates the input's shape with a form and calls one
service; a ValidationError from the service goes back onto the form so that
nothing typed is lost. Success messages are in Chinese."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pingxiang_cf.scope import VIEW
from projects import forms, services
from projects.choices import AssignmentStatus, LedgerStatus, ProjectCategory
from projects.models import Assignment, Evidence, LedgerEntry, Project

# Who may do what is decided by the services' predicates (services.can_*),
# the rule their own guards raise on; none of them runs a query (the user's
# scope is cached on the user).


@dataclass
class ProjectActions:
    """The buttons a user may use on a project page."""

    edit: bool = False
    copy: bool = False
    advance: bool = False
    next_stage: str = ""
    split: bool = False
    ledger: bool = False
    ledger_assignments: list = field(default_factory=list)
    adjustable_splits: list = field(default_factory=list)

    @property
    def any(self) -> bool:
        return any(
            (self.edit, self.copy, self.advance, self.split, self.ledger, self.ledger_assignments)
        )


def project_actions(user, project: Project, assignments) -> ProjectActions:
    manager = services.can_manage_projects(user)
    stage = forms.next_stage(project)
    splitter = services.can_split(user, project) and services.project_splittable(project)
    open_splits = [a for a in assignments if a.status == AssignmentStatus.OPEN]
    return ProjectActions(
        edit=manager,
        copy=manager and project.category == ProjectCategory.COMMON,
        advance=manager and stage is not None,
        next_stage=stage.label if stage else "",
        split=splitter,
        ledger=services.can_write_ledger(user, project),
        ledger_assignments=[a for a in open_splits if services.can_write_ledger(user, project, a)],
        adjustable_splits=open_splits if splitter else [],
    )


@dataclass
class EntryActions:
    edit: bool = False
    submit: bool = False
    delete: bool = False
    review: bool = False

    @property
    def any(self) -> bool:
        return self.edit or self.submit or self.delete or self.review


def entry_actions(user, entry: LedgerEntry) -> EntryActions:
    owner = services.can_write_ledger(user, entry)
    editable = services.entry_editable(entry)
    return EntryActions(
        edit=owner and editable,
        submit=owner and editable,
        delete=owner and services.entry_deletable(entry),
        review=services.can_verify(user) and services.entry_reviewable(entry),
    )


# --- Helpers ---------------------------------------------------------------------------


def _visible(queryset, user, **lookup):
    obj = queryset.restrict(user, VIEW).filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


def _project(user, code) -> Project:
    return _visible(Project.objects.select_related("lead_unit"), user, code=code)


def _deny_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("您没有权限执行此操作。"))


def put_errors(form, error: ValidationError, rename=None) -> None:
    """Put a service's ValidationError on the form: messages about a field the
    form has go next to it, the others above the form."""
    rename = rename or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, messages_ in error.message_dict.items():
        name = rename.get(name, name)
        if name == NON_FIELD_ERRORS or name not in form.fields:
            form.add_error(None, messages_)
        else:
            form.add_error(name, messages_)


def _detail_url(project, anchor="") -> str:
    url = reverse("projects:detail", args=[project.code])
    return f"{url}#{anchor}" if anchor else url


def _render(request, template, project, **context):
    return render(request, f"projects/forms/{template}", {"project": project, **context})


# --- Projects (the commission) -----------------------------------------------------------


@login_required
def project_create(request):
    _deny_unless(services.can_manage_projects(request.user))
    data = request.POST if request.method == "POST" else None
    form = forms.ProjectForm(data, user=request.user)
    targets = forms.TargetFormSet(data, prefix="targets")
    if data is not None and form.is_valid() & targets.is_valid():
        try:
            project = services.project_create(
                actor=request.user, targets=targets.specs(), **form.service_kwargs()
            )
        except ValidationError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, _("项目“%(name)s”已立项。") % {"name": project.name})
            return redirect(_detail_url(project))
    return _render(request, "project_form.html", None, form=form, targets=targets)


@login_required
def project_edit(request, code):
    project = _project(request.user, code)
    _deny_unless(services.can_manage_projects(request.user))
    data = request.POST if request.method == "POST" else None
    form = forms.ProjectForm(data, user=request.user, project=project)
    targets = forms.TargetFormSet(
        data, prefix="targets", initial=None if data else forms.target_initial(project)
    )
    if data is not None and form.is_valid() & targets.is_valid():
        try:
            services.project_update(
                project, actor=request.user, targets=targets.specs(), **form.service_kwargs()
            )
        except ValidationError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, _("项目信息已保存。"))
            return redirect(_detail_url(project))
    return _render(request, "project_form.html", project, form=form, targets=targets)


@login_required
def project_copy(request, code):
    project = _project(request.user, code)
    _deny_unless(services.can_manage_projects(request.user))
    data = request.POST if request.method == "POST" else None
    form = forms.CopyToYearForm(data, user=request.user, project=project)
    if data is not None and form.is_valid():
        try:
            copies = services.project_copy_to_year(
                project,
                actor=request.user,
                year=form.cleaned_data["year"],
                lead_units=list(form.cleaned_data["lead_units"]) or None,
            )
        except ValidationError as exc:
            put_errors(form, exc)
        else:
            year = form.cleaned_data["year"]
            messages.success(
                request,
                _("已将项目复制到%(year)d年度,共%(count)d个。")
                % {"year": year, "count": len(copies)},
            )
            if len(copies) == 1:
                return redirect(_detail_url(copies[0]))
            return redirect(f"{reverse('projects:list')}?year={year}")
    return _render(request, "project_copy.html", project, form=form)


@login_required
def project_advance(request, code):
    project = _project(request.user, code)
    _deny_unless(services.can_manage_projects(request.user))
    data = request.POST if request.method == "POST" else None
    form = forms.AdvanceForm(data, project=project)
    if data is not None and form.is_valid():
        try:
            project = services.project_advance(
                project,
                actor=request.user,
                to_stage=form.cleaned_data["to_stage"],
                reason=form.cleaned_data["reason"],
                promotion_note=form.cleaned_data.get("promotion_note", ""),
            )
        except ValidationError as exc:
            put_errors(form, exc)
        else:
            messages.success(
                request,
                _("项目已进入“%(stage)s”阶段。") % {"stage": project.get_stage_display()},
            )
            return redirect(_detail_url(project))
    return _render(request, "project_advance.html", project, form=form)


# --- The three splits ------------------------------------------------------------------


SPLIT_ERRORS = {"section": "section", "shares": NON_FIELD_ERRORS}


@login_required
def assignment_create(request, code):
    project = _project(request.user, code)
    _deny_unless(services.can_split(request.user, project))
    data = request.POST if request.method == "POST" else None
    form = forms.AssignmentForm(data, project=project)
    if data is not None and form.is_valid():
        try:
            assignment = services.assignment_create(
                actor=request.user, project=project, **form.service_kwargs()
            )
        except ValidationError as exc:
            put_errors(form, exc, SPLIT_ERRORS)
        else:
            messages.success(request, _("已分解任务:%(split)s。") % {"split": assignment})
            return redirect(_detail_url(project, "splits"))
    return _render(request, "assignment_form.html", project, form=form)


def _assignment(user, pk) -> Assignment:
    return _visible(
        Assignment.objects.select_related("project__lead_unit", "assignee_unit", "section"),
        user,
        pk=pk,
    )


@login_required
def assignment_edit(request, pk):
    assignment = _assignment(request.user, pk)
    project = assignment.project
    _deny_unless(services.can_split(request.user, project))
    data = request.POST if request.method == "POST" else None
    form = forms.AssignmentForm(data, project=project, assignment=assignment)
    if data is not None and form.is_valid():
        try:
            services.assignment_update(assignment, actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            put_errors(form, exc, SPLIT_ERRORS)
        else:
            messages.success(request, _("任务分解已保存。"))
            return redirect(_detail_url(project, "splits"))
    return _render(request, "assignment_form.html", project, form=form, assignment=assignment)


@login_required
def assignment_cancel(request, pk):
    assignment = _assignment(request.user, pk)
    project = assignment.project
    _deny_unless(services.can_split(request.user, project))
    data = request.POST if request.method == "POST" else None
    form = forms.CancelAssignmentForm(data)
    if data is not None and form.is_valid():
        try:
            services.assignment_cancel(
                assignment, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, _("任务分解已撤销。"))
            return redirect(_detail_url(project, "splits"))
    return _render(request, "assignment_cancel.html", project, form=form, assignment=assignment)


# --- The ledger ------------------------------------------------------------------------


LEDGER_ERRORS = {"file": "files", "quantities": NON_FIELD_ERRORS}


def _ledger_targets(project, assignment):
    """The targets an entry reports on: those the assignment shares, or all."""
    targets = project.targets.all()
    if assignment is not None:
        targets = targets.filter(shares__assignment=assignment)
    return targets


@login_required
def ledger_entry_create(request, code):
    project = _project(request.user, code)
    assignment = None
    if request.GET.get("assignment"):
        try:
            assignment_pk = int(request.GET["assignment"])
        except ValueError as exc:
            raise Http404 from exc
        assignment = _visible(
            Assignment.objects.select_related("assignee_unit"),
            request.user,
            pk=assignment_pk,
            project=project,
        )
    unit = services.ledger_unit(project, assignment)
    _deny_unless(services.can_write_ledger(request.user, project, assignment))
    data = request.POST if request.method == "POST" else None
    form = forms.LedgerEntryForm(
        data, request.FILES or None, targets=_ledger_targets(project, assignment)
    )
    if data is not None and form.is_valid():
        try:
            entry = services.ledger_entry_create(
                actor=request.user,
                project=project,
                assignment=assignment,
                files=form.cleaned_data["files"],
                submit="submit" in data,
                **form.service_kwargs(),
            )
        except ValidationError as exc:
            put_errors(form, exc, LEDGER_ERRORS)
        else:
            if entry.status == LedgerStatus.SUBMITTED:
                messages.success(request, _("台账已保存并提交核实。"))
            else:
                messages.success(request, _("台账已保存为草稿。"))
            return redirect(_detail_url(project, "ledger"))
    return _render(
        request, "ledger_form.html", project, form=form, assignment=assignment, unit=unit
    )


def _entry(user, code) -> LedgerEntry:
    return _visible(
        LedgerEntry.objects.select_related("project__lead_unit", "unit", "assignment"),
        user,
        code=code,
    )


@login_required
def ledger_entry_edit(request, code):
    """Correct a draft or returned entry; new files are attached and the entry
    may be submitted again, all in one service call (one transaction)."""
    entry = _entry(request.user, code)
    project = entry.project
    _deny_unless(services.can_write_ledger(request.user, entry))
    if not services.entry_editable(entry):
        messages.error(request, _("只有草稿或被退回的台账可以修改。"))
        return redirect(_detail_url(project, "ledger"))
    data = request.POST if request.method == "POST" else None
    form = forms.LedgerEntryForm(
        data,
        request.FILES or None,
        targets=_ledger_targets(project, entry.assignment),
        entry=entry,
    )
    if data is not None and form.is_valid():
        try:
            services.ledger_entry_update(
                entry,
                actor=request.user,
                files=form.cleaned_data["files"],
                submit="submit" in data,
                **form.service_kwargs(),
            )
        except ValidationError as exc:
            put_errors(form, exc, LEDGER_ERRORS)
        else:
            if "submit" in data:
                messages.success(request, _("台账已修改并重新提交核实。"))
            else:
                messages.success(request, _("台账已保存。"))
            return redirect(_detail_url(project, "ledger"))
    return _render(
        request,
        "ledger_form.html",
        project,
        form=form,
        entry=entry,
        assignment=entry.assignment,
        unit=entry.unit,
        evidence=entry.evidence.all(),
    )


@login_required
@require_POST
def ledger_entry_submit(request, code):
    entry = _entry(request.user, code)
    _deny_unless(services.can_write_ledger(request.user, entry))
    try:
        services.ledger_entry_submit(entry, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("台账已提交核实。"))
    return redirect(_detail_url(entry.project, "ledger"))


@login_required
def ledger_entry_delete(request, code):
    entry = _entry(request.user, code)
    project = entry.project
    _deny_unless(services.can_write_ledger(request.user, entry))
    if request.method == "POST":
        try:
            services.ledger_entry_delete(entry, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("草稿台账已删除。"))
        return redirect(_detail_url(project, "ledger"))
    return _render(request, "ledger_delete.html", project, entry=entry)


def _review(request, code, *, form_class, service, template, done):
    entry = _entry(request.user, code)
    project = entry.project
    _deny_unless(services.can_verify(request.user))
    data = request.POST if request.method == "POST" else None
    form = form_class(data)
    if data is not None and form.is_valid():
        try:
            service(entry, actor=request.user, comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(_detail_url(project, "ledger"))
    return _render(
        request,
        template,
        project,
        form=form,
        entry=entry,
        evidence=entry.evidence.all(),
        quantities=entry.quantities.select_related("target"),
    )


@login_required
def ledger_entry_verify(request, code):
    return _review(
        request,
        code,
        form_class=forms.VerifyForm,
        service=services.ledger_entry_verify,
        template="ledger_verify.html",
        done=_("台账已核实。"),
    )


@login_required
def ledger_entry_return(request, code):
    return _review(
        request,
        code,
        form_class=forms.ReturnForm,
        service=services.ledger_entry_return,
        template="ledger_return.html",
        done=_("台账已退回填报单位。"),
    )


# --- Evidence ----------------------------------------------------------------------------


@login_required
def evidence_download(request, pk):
    """The file, for users who may see the entry it belongs to; sent as an
    attachment under its original name (never through MEDIA_URL)."""
    evidence = _visible(Evidence.objects.all(), request.user, pk=pk)
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type or "application/octet-stream",
    )

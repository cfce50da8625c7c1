"""Forms of the project workspace. They check the shape of the input (types,
required fields, which choices are offered) and hand clean values to
projects.services; the business rules and their messages live there."""

from __future__ import annotations

import os
from decimal import Decimal

from django import forms
from django.conf import settings
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from accountability.models import Official, Section, Unit
from pingxiang_cf.filetypes import DOC, DOCX, GIF, JPEG, PDF, PNG, PPTX, XLS, XLSX
from pingxiang_cf.scope import VIEW
from projects.choices import ProjectStage, SplitKind
from projects.models import (
    AssignmentShare,
    BrandModel,
    Mechanism,
    PlanTask,
    Program,
    Project,
    Tier,
)
from projects.services import PROJECT_FIELDS

EVIDENCE_KINDS = (PDF, PNG, JPEG, GIF, DOCX, XLSX, PPTX, DOC, XLS)
EVIDENCE_EXTENSIONS = tuple(ext for kind in EVIDENCE_KINDS for ext in kind.extensions)


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text_widget(rows=3):
    return forms.Textarea(attrs={"rows": rows})


def _target_words(target) -> dict:
    """What a per-target field label says about its target."""
    return {
        "target": target.description,
        "value": f"{target.target_value.normalize():f}",
        "unit": target.measure_unit,
    }


class StyledForm(forms.Form):
    """Bootstrap classes on every widget, and `is-invalid` on fields with errors
    (whether the form or the service found them)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = css

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self._errors or {}:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"


# --- Projects (the commission) ------------------------------------------------------------


class ProjectForm(StyledForm):
    number = forms.CharField(label=_("项目编号"), max_length=32)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("项目名称"), max_length=200)
    category = forms.ChoiceField(
        label=_("项目类别"), choices=Project._meta.get_field("category").choices
    )
    tier = forms.ModelChoiceField(label=_("层级"), queryset=Tier.objects.none())
    program = forms.ModelChoiceField(label=_("工程"), queryset=Program.objects.none())
    brand_model = forms.ModelChoiceField(
        label=_("品牌模式"), queryset=BrandModel.objects.none(), required=False
    )
    plan_task = forms.ModelChoiceField(
        label=_("来源任务"), queryset=PlanTask.objects.none(), required=False
    )
    lead_unit = forms.ModelChoiceField(label=_("牵头单位"), queryset=Unit.objects.none())
    responsible_official = forms.ModelChoiceField(
        label=_("项目责任人"), queryset=Official.objects.none(), required=False
    )
    description = forms.CharField(label=_("项目内容"), widget=_text_widget(4), required=False)
    start_date = forms.DateField(label=_("开始日期"), widget=_date_widget())
    end_date = forms.DateField(label=_("结束日期"), widget=_date_widget())
    mechanisms = forms.ModelMultipleChoiceField(
        label=_("机制"),
        queryset=Mechanism.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    co_units = forms.ModelMultipleChoiceField(
        label=_("协办单位"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("按住 Ctrl 键可选择多个单位。"),
    )

    def __init__(self, *args, user, project: Project | None = None, **kwargs):
        if project is not None:
            kwargs.setdefault("initial", self.initial_for(project))
        super().__init__(*args, **kwargs)
        units = Unit.objects.restrict(user, VIEW).order_by("path")
        querysets = {
            "tier": Tier.objects.restrict(user, VIEW),
            "program": Program.objects.restrict(user, VIEW),
            "brand_model": BrandModel.objects.restrict(user, VIEW).select_related("unit"),
            "plan_task": PlanTask.objects.restrict(user, VIEW),
            "lead_unit": units,
            "responsible_official": Official.objects.restrict(user, VIEW).select_related("unit"),
            "mechanisms": Mechanism.objects.restrict(user, VIEW),
            "co_units": units,
        }
        for name, queryset in querysets.items():
            self.fields[name].queryset = queryset

    @staticmethod
    def initial_for(project: Project) -> dict:
        initial = {name: getattr(project, name) for name in PROJECT_FIELDS}
        initial["mechanisms"] = list(project.mechanisms.all())
        initial["co_units"] = list(project.co_units.all())
        return initial

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {name: data[name] for name in PROJECT_FIELDS}
        kwargs["mechanisms"] = list(data["mechanisms"])
        kwargs["co_units"] = list(data["co_units"])
        return kwargs


class TargetForm(StyledForm):
    """One quantified target (量化目标); `id` is set for an existing one."""

    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    description = forms.CharField(label=_("目标内容"), max_length=255)
    measure_unit = forms.CharField(label=_("计量单位"), max_length=16)
    target_value = forms.DecimalField(
        label=_("目标值"), max_digits=12, decimal_places=2, min_value=Decimal("0.01")
    )
    due_date = forms.DateField(label=_("完成时限"), widget=_date_widget())

    def spec(self) -> dict:
        data = self.cleaned_data
        spec = {name: data[name] for name in ("description", "measure_unit", "target_value")}
        spec["due_date"] = data["due_date"]
        if data.get("id"):
            spec["pk"] = data["id"]
        return spec


class BaseTargetFormSet(forms.BaseFormSet):
    def specs(self) -> list[dict]:
        """The complete new list of targets: rows kept, in order; empty extra
        rows and rows marked for deletion are left out."""
        return [
            form.spec()
            for form in self.forms
            if form.has_changed() and not self._should_delete_form(form)
        ]


TargetFormSet = forms.formset_factory(
    TargetForm, formset=BaseTargetFormSet, extra=2, can_delete=True
)


def target_initial(project: Project) -> list[dict]:
    return [
        {
            "id": t.pk,
            "description": t.description,
            "measure_unit": t.measure_unit,
            "target_value": t.target_value,
            "due_date": t.due_date,
        }
        for t in project.targets.all()
    ]


class CopyToYearForm(StyledForm):
    year = forms.IntegerField(label=_("复制到年度"), min_value=2000, max_value=2100)
    lead_units = forms.ModelMultipleChoiceField(
        label=_("牵头单位"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("可选多个单位,每个单位得到一个项目副本;不选则沿用原牵头单位。"),
    )

    def __init__(self, *args, user, project: Project, **kwargs):
        kwargs.setdefault("initial", {"year": project.year + 1})
        super().__init__(*args, **kwargs)
        self.fields["lead_units"].queryset = Unit.objects.restrict(user, VIEW).order_by("path")


STAGE_ORDER = list(ProjectStage)


def next_stage(project: Project) -> ProjectStage | None:
    index = STAGE_ORDER.index(project.stage)
    return STAGE_ORDER[index + 1] if index + 1 < len(STAGE_ORDER) else None


class AdvanceForm(StyledForm):
    to_stage = forms.ChoiceField(label=_("推进到"), choices=ProjectStage.choices)
    reason = forms.CharField(
        label=_("原因"),
        widget=_text_widget(),
        error_messages={"required": _("请填写阶段变更的原因。")},
    )
    promotion_note = forms.CharField(
        label=_("推广内容和推广对象"),
        widget=_text_widget(),
        required=False,
        help_text=_("进入推广阶段时必填:推广什么,向哪些单位推广。"),
    )

    def __init__(self, *args, project: Project, **kwargs):
        stage = next_stage(project)
        kwargs.setdefault("initial", {"to_stage": stage})
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = [(stage.value, stage.label)] if stage else []
        if stage != ProjectStage.PROMOTE:
            del self.fields["promotion_note"]


# --- The three splits --------------------------------------------------------------------


class AssignmentForm(StyledForm):
    """A split of a project. The assignee fits the kind: a section of the lead
    unit for inner, a co-organizing unit for outer, a unit below the lead unit
    for downward; one share field per target."""

    kind = forms.ChoiceField(label=_("分解方式"), choices=SplitKind.choices)
    section = forms.ModelChoiceField(
        label=_("承担科室(内分)"), queryset=Section.objects.none(), required=False
    )
    assignee_unit = forms.TypedChoiceField(
        label=_("承担单位(外分、下分)"), coerce=int, required=False, empty_value=None
    )
    content = forms.CharField(label=_("任务内容"), widget=_text_widget())
    deadline = forms.DateField(label=_("完成时限"), widget=_date_widget())
    responsible_person = forms.CharField(label=_("责任人"), max_length=32, required=False)

    SHARE_PREFIX = "share_"

    def __init__(self, *args, project: Project, assignment=None, **kwargs):
        self.project = project
        lead = project.lead_unit
        if assignment is not None:
            initial = {
                "kind": assignment.kind,
                "section": assignment.section_id,
                "assignee_unit": None if assignment.section_id else assignment.assignee_unit_id,
                "content": assignment.content,
                "deadline": assignment.deadline,
                "responsible_person": assignment.responsible_person,
            }
            for share in assignment.shares.all():
                initial[f"{self.SHARE_PREFIX}{share.target_id}"] = share.share_percent
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = Section.objects.filter(unit=lead).order_by("pk")
        self.co_units = {u.pk: u for u in project.co_units.order_by("path")}
        self.below = {
            u.pk: u
            for u in Unit.objects.filter(path__startswith=lead.path).exclude(pk=lead.pk)
            if lead.path
        }
        self.fields["assignee_unit"].choices = [
            ("", "---------"),
            (str(SplitKind.OUTER.label), [(pk, u.name) for pk, u in self.co_units.items()]),
            (str(SplitKind.DOWNWARD.label), [(pk, u.name) for pk, u in self.below.items()]),
        ]
        self.targets = list(project.targets.all())
        used = dict(
            AssignmentShare.objects.filter(target__project=project)
            .exclude(Q(assignment=assignment) if assignment is not None else Q(pk__in=[]))
            .values_list("target")
            .annotate(total=Sum("share_percent"))
        )
        for target in self.targets:
            self.fields[f"{self.SHARE_PREFIX}{target.pk}"] = forms.DecimalField(
                label=_("%(target)s(%(value)s%(unit)s)") % _target_words(target),
                required=False,
                min_value=0,
                max_value=100,
                decimal_places=2,
                help_text=_("其他分解已分担%(used)s%%") % {"used": f"{used.get(target.pk, 0):g}"},
                widget=forms.NumberInput(attrs={"class": "form-control", "step": "any"}),
            )

    def share_fields(self):
        return [self[f"{self.SHARE_PREFIX}{t.pk}"] for t in self.targets]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        lead = self.project.lead_unit
        unit_id = data.get("assignee_unit")
        if kind == SplitKind.INNER:
            if not data.get("section"):
                self.add_error("section", _("内分须选择牵头单位的内设科室。"))
            data["unit"] = lead
        elif kind == SplitKind.OUTER:
            if unit_id not in self.co_units:
                self.add_error("assignee_unit", _("外分须分解到本项目的协办单位。"))
            data["unit"] = self.co_units.get(unit_id)
        elif kind == SplitKind.DOWNWARD:
            if unit_id not in self.below:
                self.add_error("assignee_unit", _("下分须分解到牵头单位的下级单位。"))
            data["unit"] = self.below.get(unit_id)
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        inner = data["kind"] == SplitKind.INNER
        return {
            "kind": data["kind"],
            "assignee_unit": data["unit"],
            "section": data["section"] if inner else None,
            "content": data["content"],
            "deadline": data["deadline"],
            "responsible_person": data["responsible_person"],
            "shares": {t: data.get(f"{self.SHARE_PREFIX}{t.pk}") for t in self.targets},
        }


class CancelAssignmentForm(StyledForm):
    reason = forms.CharField(
        label=_("撤销原因"),
        widget=_text_widget(),
        error_messages={"required": _("请填写撤销原因。")},
    )


# --- The ledger ------------------------------------------------------------------------------


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


class LedgerEntryForm(StyledForm):
    """A ledger entry: date, progress, quantity per target, evidence files."""

    entry_date = forms.DateField(label=_("日期"), widget=_date_widget())
    content = forms.CharField(label=_("工作进展"), widget=_text_widget(5))
    progress_percent = forms.IntegerField(label=_("完成进度(%)"), min_value=0, max_value=100)
    files = MultipleFileField(label=_("佐证材料"), required=False)

    QUANTITY_PREFIX = "quantity_"

    def __init__(self, *args, targets, entry=None, **kwargs):
        if entry is not None:
            initial = {
                "entry_date": entry.entry_date,
                "content": entry.content,
                "progress_percent": entry.progress_percent,
            }
            for row in entry.quantities.all():
                initial[f"{self.QUANTITY_PREFIX}{row.target_id}"] = row.quantity
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.targets = list(targets)
        files = self.fields["files"]
        files.widget.attrs["accept"] = ",".join(EVIDENCE_EXTENSIONS)
        files.help_text = _(
            "可选择多个文件。接受PDF、图片(PNG、JPEG、GIF)和Office文档"
            "(docx、xlsx、pptx、doc、xls),每个文件不超过%(limit)s。"
        ) % {"limit": _megabytes(settings.EVIDENCE_MAX_BYTES)}
        for target in self.targets:
            self.fields[f"{self.QUANTITY_PREFIX}{target.pk}"] = forms.DecimalField(
                label=_("%(target)s(目标%(value)s%(unit)s)") % _target_words(target),
                required=False,
                min_value=0,
                max_digits=12,
                decimal_places=2,
                widget=forms.NumberInput(attrs={"class": "form-control", "step": "any"}),
            )

    def quantity_fields(self):
        return [self[f"{self.QUANTITY_PREFIX}{t.pk}"] for t in self.targets]

    def clean_files(self):
        """Type by extension and size, named per file; the service then reads
        each file's content to confirm its type."""
        files = self.cleaned_data["files"]
        errors = []
        for upload in files:
            extension = os.path.splitext(upload.name or "")[1].lower()
            if extension not in EVIDENCE_EXTENSIONS:
                errors.append(
                    _("「%(name)s」的类型不受支持:只接受%(types)s。")
                    % {"name": upload.name, "types": "、".join(EVIDENCE_EXTENSIONS)}
                )
            elif upload.size > settings.EVIDENCE_MAX_BYTES:
                errors.append(
                    _("「%(name)s」超过%(limit)s的大小上限。")
                    % {"name": upload.name, "limit": _megabytes(settings.EVIDENCE_MAX_BYTES)}
                )
        if errors:
            raise forms.ValidationError(errors)
        return files

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "entry_date": data["entry_date"],
            "content": data["content"],
            "progress_percent": data["progress_percent"],
            "quantities": {t: data.get(f"{self.QUANTITY_PREFIX}{t.pk}") for t in self.targets},
        }


class VerifyForm(StyledForm):
    comment = forms.CharField(label=_("核实意见"), widget=_text_widget(), required=False)


class ReturnForm(StyledForm):
    comment = forms.CharField(
        label=_("退回意见"),
        widget=_text_widget(),
        error_messages={"required": _("退回台账须填写退回意见。")},
    )

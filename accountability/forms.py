"""Forms of the accountability pages. They check the shape of the input
(types, required fields, which choices are offered, all scoped to the user)
and hand clean values to accountability.services; the business rules and
their messages live there."""

from __future__ import annotations

from django import forms
from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accountability import choices
from accountability.models import Official, RiskPost, Section, Unit
from accountability.selectors import COUNTY_LEVEL_RANKS
from accountability.services.letters import commission_secretary
from projects.forms import StyledForm

SCALE = [(n, str(n)) for n in range(1, 6)]
REQUIRED = {"required": _("此项为必填项。")}


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date(label, required=True):
    return forms.DateField(
        label=label,
        required=required,
        widget=_date_widget(),
        error_messages={**REQUIRED, "invalid": _("请输入有效的日期(年-月-日)。")},
    )


def _text(label, required=True, rows=3, max_length=None):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput(),
        error_messages={**REQUIRED, "max_length": _("内容过长,最多%(limit_value)d个字。")},
    )


def _year():
    this_year = timezone.localdate().year
    return forms.IntegerField(
        label=_("年度"),
        min_value=2000,
        max_value=this_year + 1,
        initial=this_year,
        error_messages={
            **REQUIRED,
            "invalid": _("年度须为整数。"),
            "min_value": _("年度不能早于2000年。"),
            "max_value": _("年度不能晚于%(limit_value)s年。"),
        },
    )


# --- Letters --------------------------------------------------------------------------


class GenerateLettersForm(StyledForm):
    year = _year()
    issuer_signatory = forms.ModelChoiceField(
        label=_("甲方签字人(代表市委)"),
        queryset=Official.objects.none(),
        required=False,
        help_text=_("一般为市委常委、市纪委书记。"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuer_signatory"].queryset = (
            Official.objects.restrict(user)
            .filter(unit__depth__lte=1, rank__in=COUNTY_LEVEL_RANKS, is_active=True)
            .select_related("unit")
            .order_by("unit__path", "pk")
        )
        self.fields["issuer_signatory"].initial = commission_secretary(user)
        self.fields["issuer_signatory"].label_from_instance = lambda o: (
            f"{o.name}({o.unit.name}{o.post})"
        )


class LetterSignForm(StyledForm):
    signed_on = _date(_("签订日期"))
    scanned_copy = forms.FileField(
        label=_("签字扫描件"),
        required=False,
        help_text=_("PDF、PNG或JPEG,不超过20MB。"),
    )


# --- Leading groups ----------------------------------------------------------------------


class GroupForm(StyledForm):
    unit = forms.ModelChoiceField(
        label=_("所属单位"), queryset=Unit.objects.none(), error_messages=REQUIRED
    )
    name = _text(_("名称"), rows=0, max_length=128)
    established_on = _date(_("成立日期"))
    office_name = _text(_("办公室(惩防办)"), required=False, rows=0, max_length=128)
    document_number = _text(_("成立文号"), required=False, rows=0, max_length=64)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (
            Unit.objects.restrict(user, "change")
            .filter(is_active=True, depth__lte=2)
            .order_by("path")
        )


class GroupMemberForm(StyledForm):
    official = forms.ModelChoiceField(
        label=_("干部"), queryset=Official.objects.none(), error_messages=REQUIRED
    )
    position = forms.ChoiceField(label=_("职位"), choices=choices.GroupPosition.choices)
    start_on = _date(_("任职起"))

    def __init__(self, *args, user, group, **kwargs):
        super().__init__(*args, **kwargs)
        officials = Official.objects.restrict(user).filter(is_active=True)
        if group.unit.depth > 0:
            officials = officials.filter(unit__path__startswith=group.unit.path)
        else:
            officials = officials.filter(unit__depth__lte=1, section__isnull=True)
        self.fields["official"].queryset = officials.select_related("unit").order_by(
            "unit__path", "pk"
        )
        self.fields["official"].label_from_instance = lambda o: f"{o.name}({o.unit.name}{o.post})"


class EndDateForm(StyledForm):
    end_on = _date(_("离任日期"))


class DissolveForm(StyledForm):
    dissolved_on = _date(_("撤销日期"))
    reason = _text(_("撤销原因"), required=False, rows=2)


# --- Risk maps -----------------------------------------------------------------------------


class ReviewStartForm(StyledForm):
    year = _year()


class RiskPostForm(StyledForm):
    name = _text(_("岗位名称"), rows=0, max_length=64)
    section = forms.ModelChoiceField(
        label=_("科室"), queryset=Section.objects.none(), required=False
    )
    duties = _text(_("岗位职责"), required=False)
    oversight_tier = forms.ChoiceField(
        label=_("监管层级(分层监管)"), choices=choices.OversightTier.choices
    )
    projects = forms.ModelMultipleChoiceField(
        label=_("对应阳光工程项目"),
        queryset=None,
        required=False,
        help_text=_("按住Ctrl可多选。"),
    )

    def __init__(self, *args, user, unit, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = unit.sections.order_by("sort_order", "name")
        project = apps.get_model("projects", "Project")
        projects = project.objects.restrict(user).filter(year=year)
        sunshine = projects.filter(program__name__contains="阳光")
        self.fields["projects"].queryset = (sunshine if sunshine.exists() else projects).order_by(
            "number"
        )
        self.fields["projects"].label_from_instance = lambda p: f"{p.number} {p.name}"


class RiskPowerForm(StyledForm):
    name = _text(_("职权名称"), rows=0, max_length=128)
    basis = _text(_("设定依据"), required=False, rows=0, max_length=255)


class RiskPointForm(StyledForm):
    description = _text(_("风险点描述"))
    category = forms.ChoiceField(label=_("风险类别"), choices=choices.RiskCategory.choices)
    likelihood = forms.TypedChoiceField(label=_("发生概率(1–5)"), choices=SCALE, coerce=int)
    impact = forms.TypedChoiceField(label=_("影响程度(1–5)"), choices=SCALE, coerce=int)
    handling = forms.ChoiceField(
        label=_("处置类别(分类处置)"), choices=choices.HandlingCategory.choices
    )


class RiskControlForm(StyledForm):
    measure = _text(_("防控措施"))
    rule_name = _text(_("依据制度"), required=False, rows=0, max_length=128)
    owner = _text(_("责任人"), required=False, rows=0, max_length=64)


class RiskProcessForm(StyledForm):
    name = _text(_("流程名称"), rows=0, max_length=64)
    description = _text(_("说明"), required=False, rows=2)
    steps = _text(_("流程环节"), rows=5)

    def __init__(self, *args, unit, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.posts = {p.name: p for p in RiskPost.objects.filter(unit=unit, year=year)}
        self.fields["steps"].help_text = _(
            "每行一个环节,按顺序填写;需要标注办理岗位时写作“环节名称|岗位名称”,该岗位的风险点即落在此环节上。"
        )

    def clean_steps(self):
        steps = []
        for number, line in enumerate(self.cleaned_data["steps"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            name, _bar, post_name = (part.strip() for part in line.partition("|"))
            if not name:
                raise forms.ValidationError(_("第%(n)d行缺少环节名称。") % {"n": number})
            if len(name) > 64:
                raise forms.ValidationError(
                    _("第%(n)d行环节名称过长(最多64个字)。") % {"n": number}
                )
            post = None
            if post_name:
                post = self.posts.get(post_name)
                if post is None:
                    raise forms.ValidationError(
                        _("第%(n)d行的岗位“%(post)s”不是本年度风险图中的岗位。")
                        % {"n": number, "post": post_name}
                    )
            steps.append((name, post))
        if len(steps) < 2:
            raise forms.ValidationError(_("业务流程至少需要两个环节。"))
        return steps


class CommentForm(StyledForm):
    comment = _text(_("审核意见"), required=False)


class RequiredCommentForm(StyledForm):
    comment = _text(_("审核意见"))


# --- The register ------------------------------------------------------------------------


class OutcomeForm(StyledForm):
    year = _year()
    source = forms.ChoiceField(label=_("来源"), choices=choices.OutcomeSource.choices)
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none(), required=False)
    official = forms.ModelChoiceField(
        label=_("干部"), queryset=Official.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (
            Unit.objects.restrict(user).filter(is_active=True, depth__in=(1, 2)).order_by("path")
        )
        self.fields["official"].queryset = (
            Official.objects.restrict(user)
            .filter(is_active=True, rank__in=COUNTY_LEVEL_RANKS)
            .select_related("unit")
            .order_by("unit__path", "pk")
        )
        self.fields["official"].label_from_instance = lambda o: f"{o.name}({o.unit.name}{o.post})"

    def clean(self):
        data = super().clean()
        if bool(data.get("unit")) == bool(data.get("official")):
            raise forms.ValidationError(_("单位和干部须且只能填写其中一项。"))
        return data


class CommendationForm(OutcomeForm):
    title = _text(_("表彰名称"), rows=0, max_length=128)


class CaseForm(OutcomeForm):
    reason = _text(_("追究事由"))
    measure = forms.ChoiceField(
        label=_("拟处理方式"), choices=choices.AccountabilityMeasure.choices
    )


class StatementRequestForm(StyledForm):
    deadline = _date(_("陈述申辩截止日期"))


class StatementForm(StyledForm):
    statement = _text(_("陈述申辩意见"), rows=5)
    statement_on = _date(_("陈述申辩日期"))


class DecideForm(StyledForm):
    document_number = _text(_("决定文号"), rows=0, max_length=64)
    decided_on = _date(_("决定日期"))
    decision_file = forms.FileField(
        label=_("决定文件"), required=False, help_text=_("PDF、图片或Word文件,不超过20MB。")
    )


class CaseDecideForm(DecideForm):
    measure = forms.ChoiceField(label=_("处理方式"), choices=choices.AccountabilityMeasure.choices)


class WithdrawForm(StyledForm):
    reason = _text(_("撤销理由"))

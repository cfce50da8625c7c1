"""Forms of the assessment pages. They only parse input; the services decide
and refuse (their ValidationError messages are shown on the form)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accountability.choices import UnitKind, UnitTier
from assessments.choices import RuleKind
from assessments.rules import rule_choices

LINES = 3


class SchemeCopyForm(forms.Form):
    year = forms.IntegerField(label=_("新年度"), min_value=2000, max_value=2100)


class IndicatorForm(forms.Form):
    code = forms.CharField(label=_("指标编码"), max_length=16)
    category = forms.CharField(label=_("指标类别"), max_length=64)
    name = forms.CharField(label=_("指标名称"), max_length=200)
    max_points = forms.DecimalField(
        label=_("分值/上限"), max_digits=5, decimal_places=2, min_value=0
    )
    rule_kind = forms.ChoiceField(label=_("计分方式"), choices=RuleKind.choices)
    rule_code = forms.ChoiceField(label=_("自动计分规则"), required=False, choices=())
    applies_to_tier = forms.ChoiceField(
        label=_("适用层级"), required=False, choices=[("", _("全部"))] + list(UnitTier.choices)
    )
    applies_to_kinds = forms.MultipleChoiceField(
        label=_("适用单位类别"), required=False, choices=UnitKind.choices
    )
    criteria = forms.CharField(
        label=_("评分标准"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, initial=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule_code"].choices = [("", _("无(人工评分)"))] + rule_choices()


class ManualScoreForm(forms.Form):
    points = forms.CharField(label=_("得分"), required=False)
    vetoed = forms.BooleanField(label=_("一票否决"), required=False)

    def __init__(self, *args, lines=LINES, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, lines + 1):
            self.fields[f"line{n}_points"] = forms.CharField(label=_("扣分"), required=False)
            self.fields[f"line{n}_reason"] = forms.CharField(label=_("理由"), required=False)
            self.fields[f"line{n}_evidence"] = forms.CharField(label=_("依据/佐证"), required=False)
        self.line_count = lines

    def lines(self):
        data = self.cleaned_data
        return [
            {
                "points": data.get(f"line{n}_points"),
                "reason": data.get(f"line{n}_reason"),
                "evidence": data.get(f"line{n}_evidence"),
            }
            for n in range(1, self.line_count + 1)
        ]

    def line_rows(self):
        return [
            (self[f"line{n}_points"], self[f"line{n}_reason"], self[f"line{n}_evidence"])
            for n in range(1, self.line_count + 1)
        ]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ReviewForm(forms.Form):
    conduct_score = forms.CharField(label=_("党风廉政建设责任制考核得分"), required=False)
    conduct_comment = forms.CharField(
        label=_("考核意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ApproveForm(forms.Form):
    decided_on = forms.DateField(
        label=_("决定日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    document_number = forms.CharField(label=_("决定文号"), required=False, max_length=64)


class SchemeForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=200)
    document_number = forms.CharField(label=_("文号"), max_length=64, required=False)
    excellent_from = forms.DecimalField(label=_("优秀分数线"), max_digits=5, decimal_places=2)
    good_from = forms.DecimalField(label=_("良好分数线"), max_digits=5, decimal_places=2)
    fair_from = forms.DecimalField(label=_("一般分数线"), max_digits=5, decimal_places=2)
    bonus_cap = forms.DecimalField(label=_("加分上限"), max_digits=5, decimal_places=2, min_value=0)
    deduction_cap = forms.DecimalField(
        label=_("扣分上限"), max_digits=5, decimal_places=2, min_value=0
    )

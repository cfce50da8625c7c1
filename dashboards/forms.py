"""The dashboard's filter form (GET): year, tier, program, mechanism and the
unit drilled into. Choices come from options already read for the page, so
validating the form runs no query; a value that is not a choice is ignored.
The year's options are the years the unit has projects in (the page knows
them only after reading its figures)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dashboards.selectors import Filters

ALL = _("全部")


class DashboardFilterForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), required=False, min_value=1990, max_value=2100)
    tier = forms.TypedChoiceField(label=_("层级"), coerce=int, required=False, empty_value=None)
    program = forms.TypedChoiceField(label=_("工程"), coerce=int, required=False, empty_value=None)
    mechanism = forms.TypedChoiceField(
        label=_("机制"), coerce=int, required=False, empty_value=None
    )
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def __init__(self, data, *, options):
        super().__init__(data)
        for name, key in (("tier", "tiers"), ("program", "programs"), ("mechanism", "mechanisms")):
            self.fields[name].choices = [("", ALL)] + [
                (pk, obj.name) for pk, obj in options[key].items()
            ]

    def value(self, name):
        """The cleaned value, or None for a missing or bad one."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        if name in self.errors:
            return None
        return self.cleaned_data.get(name)

    def filters(self) -> Filters:
        return Filters(
            year=self.value("year"),
            tier=self.value("tier"),
            program=self.value("program"),
            mechanism=self.value("mechanism"),
        )

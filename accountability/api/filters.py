"""The unit FilterSet (API list and exports). Kept under api/ until the
accountability app grows its own filters.py."""

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from accountability.choices import UnitKind, UnitTier
from accountability.models import Unit
from pingxiang_cf.api.filters import BaseFilterSet, ordering_filter

ALL = _("全部")


def _visible_units(request):
    return Unit.objects.restrict(getattr(request, "user", None))


class UnitFilterSet(BaseFilterSet):
    search_fields = ("name", "short_name", "code")
    tier = filters.ChoiceFilter(label=_("层级"), choices=UnitTier.choices, empty_label=ALL)
    kind = filters.ChoiceFilter(label=_("类别"), choices=UnitKind.choices, empty_label=ALL)
    parent = filters.ModelChoiceFilter(
        label=_("上级单位"), queryset=_visible_units, empty_label=ALL
    )
    is_active = filters.BooleanFilter(label=_("在用"))
    o = ordering_filter({"name": _("单位名称"), "code": _("单位编码"), "path": _("层级")})
    default_ordering = ("path",)

    class Meta:
        model = Unit
        fields = ("q", "tier", "kind", "parent", "is_active")

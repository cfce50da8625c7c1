"""The audit log's FilterSet: the page and its CSV export share it."""

import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pingxiang_cf.api.filters import drop_cached_fields
from pingxiang_cf.models import AuditAction, AuditLog, AuditOutcome

ALL = _("全部")


class AuditLogFilterSet(filters.FilterSet):
    q = filters.CharFilter(label=_("搜索"), method="search")
    action = filters.ChoiceFilter(label=_("操作"), choices=AuditAction.choices, empty_label=ALL)
    outcome = filters.ChoiceFilter(label=_("结果"), choices=AuditOutcome.choices, empty_label=ALL)
    actor = filters.CharFilter(label=_("操作人账号"), field_name="actor_name")
    ip = filters.CharFilter(label=_("IP 地址"), field_name="ip")
    since = filters.DateFilter(
        label=_("起始日期"),
        field_name="created_at",
        lookup_expr="date__gte",
        widget=filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )
    until = filters.DateFilter(
        label=_("截止日期"),
        field_name="created_at",
        lookup_expr="date__lte",
        widget=filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )
    o = filters.OrderingFilter(
        label=_("排序"),
        fields=(("created_at", "time"), ("actor_name", "actor"), ("action", "action")),
    )

    class Meta:
        model = AuditLog
        fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        drop_cached_fields(self)  # per instance, whatever read the class's filters

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(actor_name__icontains=value)
            | Q(object_repr__icontains=value)
            | Q(unit__icontains=value)
            | Q(reason__icontains=value)
            | Q(object_id=value)
        )

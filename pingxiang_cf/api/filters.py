"""The base FilterSet of every list (HTML page, API and export share it):
`q` searches the declared `search_fields`, `o` orders by the declared
orderings, and the order always ends with `default_ordering` and the primary
key so that pages (and keyset cursors) are stable. `default_ordering` names
columns (`project_id`, not `project`, which would sort by the related
model's own ordering).

    class AssignmentFilterSet(BaseFilterSet):
        search_fields = ("content", "assignee_unit__name")
        o = ordering_filter({"deadline": _("完成时限"), "kind": _("分解方式")})
        default_ordering = ("project_id", "kind")

        class Meta:
            model = Assignment
            fields = ("project", "kind", "status")
"""

import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def ordering_filter(labels: dict) -> filters.OrderingFilter:
    """`o`: order by any of `labels` ({path: label}); `-path` descends."""
    return filters.OrderingFilter(
        label=_("排序"),
        fields=tuple((path, path.replace("__", "_")) for path in labels),
        field_labels=dict(labels),
    )


class BaseFilterSet(filters.FilterSet):
    search_fields: tuple[str, ...] = ()
    default_ordering: tuple[str, ...] = ()

    q = filters.CharFilter(label=_("搜索"), method="search")

    def search(self, queryset, name, value):
        value = (value or "").strip()
        if not value or not self.search_fields:
            return queryset
        q = Q()
        for path in self.search_fields:
            q |= Q(**{f"{path}__icontains": value})
        return queryset.filter(q)

    @property
    def qs(self):
        queryset = super().qs
        ordering = list(queryset.query.order_by)
        default = list(self.default_ordering or self._meta.model._meta.ordering)
        return queryset.order_by(*ordering, *[o for o in default if o not in ordering], "pk")

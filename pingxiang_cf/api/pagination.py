"""Pagination for the API.

- `PagePagination`: page numbers with a total count, for small tables
  (units, plan tasks, reference data). `?page=2&page_size=100`.
- `KeysetPagination`: an opaque cursor over the list's own ordering, for the
  big tables (projects, ledger entries). `?cursor=…&page_size=100`. A page is
  one query of `page_size + 1` rows filtered on the last row's sort key
  (`(a, b, pk) > (x, y, z)` spelled out per column and direction): no
  `COUNT(*)`, no OFFSET, the same cost on page 1 and page 10,000. The order
  is the FilterSet's (`?o=-year`), which always ends with the primary key.

Both work on the `.values()` rows of pingxiang_cf.api.rows."""

from __future__ import annotations

import base64
import binascii
import json
from collections import OrderedDict

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from pingxiang_cf.api.rows import fetch_values

MAX_PAGE_SIZE = 1000


class PagePagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


def _ordering(queryset) -> list[tuple[str, bool]]:
    """(path, descending) pairs of the queryset's order, ending with pk."""
    order = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    result = []
    for item in order:
        if not isinstance(item, str):
            raise TypeError("keyset pagination needs an ordering of field names")
        desc = item.startswith("-")
        name = item.lstrip("-+")
        if name in ("id", queryset.model._meta.pk.name):
            name = "pk"
        result.append((name, desc))
        if name == "pk":
            break  # anything after a unique key never decides
    else:
        result.append(("pk", False))
    return result


def _field(model, path: str):
    if path == "pk":
        return model._meta.pk
    current = model
    parts = path.split("__")
    for part in parts[:-1]:
        current = current._meta.get_field(part).related_model
    f = current._meta.get_field(parts[-1])
    return f.target_field if f.is_relation else f


def _after(ordering, values, backwards: bool) -> Q:
    """Rows strictly after `values` in `ordering` (before, when backwards)."""
    q = Q()
    equal = Q()
    for (path, desc), value in zip(ordering, values, strict=True):
        greater = desc == backwards  # ascending forwards, or descending backwards
        q |= equal & Q(**{f"{path}__{'gt' if greater else 'lt'}": value})
        equal &= Q(**{path: value})
    return q


class KeysetPagination(BasePagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    cursor_query_param = "cursor"
    invalid_cursor_message = _("无效的分页游标。")

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            return self.page_size
        return max(1, min(size, self.max_page_size))

    def sort_paths(self, queryset) -> list[str]:
        """The paths a `.values()` queryset must carry for the cursor."""
        return [path for path, _desc in _ordering(queryset)]

    def _decode(self, raw: str, ordering, model):
        try:
            data = json.loads(base64.urlsafe_b64decode(raw.encode() + b"==="))
            values, backwards = data["v"], bool(data["b"])
            if not isinstance(values, list) or len(values) != len(ordering):
                raise ValueError
            return [
                None if v is None else _field(model, path).to_python(v)
                for (path, _desc), v in zip(ordering, values, strict=True)
            ], backwards
        except (ValueError, KeyError, TypeError, binascii.Error, DjangoValidationError) as exc:
            raise ValidationError({self.cursor_query_param: [self.invalid_cursor_message]}) from exc

    def _encode(self, row, ordering, backwards: bool) -> str:
        values = []
        for path, _desc in ordering:
            value = row[path]
            values.append(value if value is None or isinstance(value, int | str) else str(value))
        raw = json.dumps({"v": values, "b": backwards}, separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = self.get_page_size(request)
        ordering = _ordering(queryset)
        raw = request.query_params.get(self.cursor_query_param)
        queryset = queryset.order_by(*[("-" if desc else "") + path for path, desc in ordering])
        backwards = False
        if raw:
            values, backwards = self._decode(raw, ordering, queryset.model)
            queryset = queryset.filter(_after(ordering, values, backwards))
        if backwards:
            queryset = queryset.reverse()
        rows = fetch_values(queryset[: size + 1])
        more = len(rows) > size
        rows = rows[:size]
        if backwards:
            rows.reverse()
        self.next_cursor = self.previous_cursor = None
        if rows:
            if more or backwards:
                self.next_cursor = self._encode(rows[-1], ordering, False)
            if (more and backwards) or (raw and not backwards):
                self.previous_cursor = self._encode(rows[0], ordering, True)
        return rows

    def _link(self, cursor):
        if cursor is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, cursor)

    def get_paginated_response(self, data):
        return Response(
            OrderedDict(
                [
                    ("next", self._link(self.next_cursor)),
                    ("previous", self._link(self.previous_cursor)),
                    ("results", data),
                ]
            )
        )

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "分页游标(取自上一页的 next/previous 链接)",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"每页条数,最多 {self.max_page_size}",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]

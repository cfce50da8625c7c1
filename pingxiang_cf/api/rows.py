"""Fast reads for the API: a read serializer is *declared* (DRF fields with
their `source`), and this module turns the declaration into a plan that
fetches exactly those columns with `.values()` (one query, joins for the
dotted sources) plus one query per many-to-many field, and builds the same
JSON the serializer would — without a model instance per row.

The DRF serializer stays the single declaration: the OpenAPI schema is
generated from it and `tests/api/` checks that the fast rows equal what
`serializer.to_representation(instance)` gives for the same object.

Supported in a read serializer: plain model fields (`source="a.b"` follows
foreign keys), nested serializers over a foreign key (their fields are
joined too, null when the key is null), and `PrimaryKeyRelatedField(many=True)`
over a many-to-many field. Anything else raises at class creation time, so a
mistake shows up in the first test, not in production."""

from __future__ import annotations

import datetime
import decimal
import uuid
from dataclasses import dataclass, field

from django.db import models
from rest_framework import serializers

_CONVERTED = (decimal.Decimal, datetime.datetime, datetime.date, datetime.time, uuid.UUID)


@dataclass
class _Leaf:
    key: str
    path: str  # values() path
    field: serializers.Field


@dataclass
class _Nested:
    key: str
    null_path: str  # the foreign key's column (None → null)
    children: list = field(default_factory=list)


@dataclass
class _Many:
    key: str
    name: str  # the model's many-to-many field


def _path(prefix: str, source: str) -> str:
    return prefix + source.replace(".", "__")


def _build(serializer: serializers.Serializer, model, prefix: str) -> list:
    nodes = []
    for key, f in serializer.fields.items():
        if f.write_only:
            continue
        source = f.source
        if isinstance(f, serializers.ManyRelatedField):
            m2m = model._meta.get_field(source)
            if not m2m.many_to_many or prefix:
                raise TypeError(f"{key}: only a top-level many-to-many field can be a list")
            nodes.append(_Many(key, source))
        elif isinstance(f, serializers.Serializer):
            fk = model._meta.get_field(source)
            if not fk.many_to_one and not fk.one_to_one:
                raise TypeError(f"{key}: a nested serializer must follow a foreign key")
            node = _Nested(key, _path(prefix, source) + "_id")
            node.children = _build(f, fk.related_model, _path(prefix, source) + "__")
            nodes.append(node)
        elif isinstance(f, serializers.RelatedField | serializers.SerializerMethodField):
            raise TypeError(f"{key}: use a nested serializer or a dotted source")
        else:
            path = "pk" if source == "pk" and not prefix else _path(prefix, source)
            nodes.append(_Leaf(key, path, f))
    return nodes


class RowPlan:
    """What a read serializer needs, as `.values()` paths and a row builder."""

    def __init__(self, serializer_class: type[serializers.Serializer], model: type[models.Model]):
        self.model = model
        self.nodes = _build(serializer_class(), model, "")
        self.paths: list[str] = []
        self.many: list[_Many] = []
        self._collect(self.nodes)

    def _collect(self, nodes):
        for node in nodes:
            if isinstance(node, _Leaf):
                self.paths.append(node.path)
            elif isinstance(node, _Nested):
                self.paths.append(node.null_path)
                self._collect(node.children)
            else:
                self.many.append(node)
        if "pk" not in self.paths:
            self.paths.append("pk")

    def values(self, queryset, extra=()):
        """The queryset as dicts with every path the plan needs (and `extra`)."""
        paths = list(dict.fromkeys([*self.paths, *extra]))
        return queryset.values(*paths)

    def _row(self, nodes, row) -> dict:
        out = {}
        for node in nodes:
            if isinstance(node, _Leaf):
                value = row[node.path]
                if value is not None and isinstance(value, _CONVERTED):
                    value = node.field.to_representation(value)
                out[node.key] = value
            elif isinstance(node, _Nested):
                out[node.key] = (
                    None if row[node.null_path] is None else self._row(node.children, row)
                )
        return out

    def rows(self, values_rows) -> list[dict]:
        """Build the output dicts; many-to-many lists take one query each."""
        values_rows = list(values_rows)
        result = [self._row(self.nodes, row) for row in values_rows]
        if self.many and values_rows:
            pks = [row["pk"] for row in values_rows]
            for node in self.many:
                m2m = self.model._meta.get_field(node.name)
                through = m2m.remote_field.through
                own = m2m.m2m_field_name() + "_id"
                other = m2m.m2m_reverse_field_name() + "_id"
                linked: dict = {}
                for a, b in (
                    through._base_manager.filter(**{f"{own}__in": pks})
                    .order_by(other)
                    .values_list(own, other)
                ):
                    linked.setdefault(a, []).append(b)
                for row, out in zip(values_rows, result, strict=True):
                    out[node.key] = linked.get(row["pk"], [])
        # keep the declared key order when a list was filled in last
        if self.many:
            order = [n.key for n in self.nodes]
            result = [{k: out[k] for k in order} for out in result]
        return result

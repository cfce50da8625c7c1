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

from dataclasses import dataclass, field

from django.db import models
from rest_framework import serializers


@dataclass
class _Leaf:
    key: str
    path: str  # values() path
    field: serializers.Field


def _default_format(field, setting: str) -> bool:
    from rest_framework.settings import api_settings

    fmt = getattr(field, "format", None)
    fmt = getattr(api_settings, setting) if fmt is None or fmt is serializers.empty else fmt
    return fmt == "iso-8601"


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


def _links(model, name: str, pks: list) -> dict:
    """{pk: [related ids]} of a many-to-many field for the page's rows, in one
    query; on PostgreSQL `= ANY(array)`, one parameter instead of a thousand."""
    from django.db import connection

    m2m = model._meta.get_field(name)
    through = m2m.remote_field.through
    own = through._meta.get_field(m2m.m2m_field_name()).column
    other = through._meta.get_field(m2m.m2m_reverse_field_name()).column
    q = connection.ops.quote_name
    table = q(through._meta.db_table)
    if connection.vendor == "postgresql":
        where, params = f"{q(own)} = ANY(%s)", [list(pks)]
    else:
        where, params = f"{q(own)} IN ({', '.join(['%s'] * len(pks))})", list(pks)
    linked: dict = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {q(own)}, {q(other)} FROM {table} WHERE {where} ORDER BY {q(other)}",  # noqa: S608 - names quoted, values bound
            params,
        )
        for a, b in cursor.fetchall():
            linked.setdefault(a, []).append(b)
    return linked


_PLAIN = (
    serializers.IntegerField,
    serializers.BooleanField,
    serializers.ChoiceField,
    serializers.CharField,
    serializers.FloatField,
)


def _convert(f, tz):
    """The function a stored value goes through, or None if it goes out as is.
    Dates and UUIDs are left to the renderer (orjson writes them exactly as
    DRF's fields would, much faster); date-times are moved to the current
    time zone, as DRF does."""
    if isinstance(f, serializers.DateTimeField) and _default_format(f, "DATETIME_FORMAT"):
        return lambda v: v.astimezone(tz) if v.tzinfo else v
    if isinstance(f, serializers.DateField) and _default_format(f, "DATE_FORMAT"):
        return None
    if isinstance(f, (serializers.UUIDField, *_PLAIN)):
        return None
    return f.to_representation


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

    def _ops(self, nodes, tz) -> list[tuple]:
        """(key, path, convert, children) per node: what a row needs, decided
        once per call rather than per value."""
        ops = []
        for node in nodes:
            if isinstance(node, _Nested):
                ops.append((node.key, node.null_path, None, self._ops(node.children, tz)))
            elif isinstance(node, _Leaf):
                ops.append((node.key, node.path, _convert(node.field, tz), None))
        return ops

    def _row(self, ops, row) -> dict:
        out = {}
        for key, path, convert, children in ops:
            value = row[path]
            if children is not None:
                out[key] = None if value is None else self._row(children, row)
            else:
                out[key] = value if convert is None or value is None else convert(value)
        return out

    def rows(self, values_rows) -> list[dict]:
        """Build the output dicts; many-to-many lists take one query each."""
        from django.utils import timezone

        values_rows = list(values_rows)
        ops = self._ops(self.nodes, timezone.get_current_timezone())
        result = [self._row(ops, row) for row in values_rows]
        if self.many and values_rows:
            pks = [row["pk"] for row in values_rows]
            for node in self.many:
                linked = _links(self.model, node.name, pks)
                for row, out in zip(values_rows, result, strict=True):
                    out[node.key] = linked.get(row["pk"], [])
        # keep the declared key order when a list was filled in last
        if self.many:
            order = [n.key for n in self.nodes]
            result = [{k: out[k] for k in order} for out in result]
        return result

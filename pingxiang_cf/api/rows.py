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
from operator import itemgetter

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


def _build(serializer: serializers.Serializer, model, prefix: str, pk_path: str) -> list:
    """The serializer's fields as nodes. `pk_path` is where the model's own
    key already is (`pk` at the top, the foreign key's column in a nested
    object), so that `id` is not fetched twice."""
    pk_names = ("pk", model._meta.pk.name)
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
            column = _path(prefix, source) + "_id"
            node = _Nested(key, column)
            node.children = _build(f, fk.related_model, _path(prefix, source) + "__", column)
            nodes.append(node)
        elif isinstance(f, serializers.RelatedField | serializers.SerializerMethodField):
            raise TypeError(f"{key}: use a nested serializer or a dotted source")
        elif source in pk_names:
            nodes.append(_Leaf(key, pk_path, f))
        else:
            nodes.append(_Leaf(key, _path(prefix, source), f))
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


@dataclass
class _Level:
    """One object of a row (the row itself, or a nested one): its keys in
    the declared order, one C-level getter for their `.values()` columns,
    and the few keys that need more (a conversion, a nested object)."""

    keys: tuple
    getter: object
    fixes: tuple  # (key, convert or None, nested _Level or None)


def _getter(paths: list[str]):
    if len(paths) == 1:
        path = paths[0]
        return lambda row: (row[path],)
    return itemgetter(*paths)


def _c_timestamptz_loader():
    """psycopg's own loader of `timestamptz` text (its C one when psycopg's
    binary/C build is installed), or None without psycopg 3."""
    try:
        import psycopg
        from django.db.backends.postgresql.psycopg_any import is_psycopg3
        from psycopg.postgres import types
        from psycopg.pq import Format
    except ImportError:  # pragma: no cover - psycopg 3 is a dependency
        return None
    if not is_psycopg3:  # pragma: no cover - Django on psycopg2
        return None
    return psycopg.adapters.get_loader(types["timestamptz"].oid, Format.TEXT)


_TIMESTAMPTZ_LOADER = _c_timestamptz_loader()


def fetch_values(queryset) -> list[dict]:
    """`list(queryset)` for a `.values()` queryset (a page: all of it in one
    `fetchall`). On PostgreSQL the time stamps are read by psycopg's own
    loader, on this one cursor only: Django's connection registers a Python
    subclass that re-attaches its time zone to every value, which took a
    quarter of a 1,000-row page. The values are the same instants (aware, in
    the session's UTC); the rows convert them to the current time zone as
    DRF does. Field converters (`from_db_value`) still apply."""
    from django.core.exceptions import EmptyResultSet
    from django.db import connections

    connection = connections[queryset.db]
    if connection.vendor != "postgresql" or _TIMESTAMPTZ_LOADER is None:
        return list(queryset)
    query = queryset.query
    if query.selected:
        names = list(query.selected)
    else:
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
    compiler = query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return []
    fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
    converters = compiler.get_converters(fields)
    with connection.cursor() as cursor:
        cursor.cursor.adapters.register_loader("timestamptz", _TIMESTAMPTZ_LOADER)
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if converters:
        rows = compiler.apply_converters(rows, converters)
    return [dict(zip(names, row, strict=True)) for row in rows]


class RowPlan:
    """What a read serializer needs, as `.values()` paths and a row builder."""

    def __init__(self, serializer_class: type[serializers.Serializer], model: type[models.Model]):
        self.model = model
        self.nodes = _build(serializer_class(), model, "", "pk")
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
        self.paths = list(dict.fromkeys(self.paths))

    def values(self, queryset, extra=()):
        """The queryset as dicts with every path the plan needs (and `extra`)."""
        paths = list(dict.fromkeys([*self.paths, *extra]))
        return queryset.values(*paths)

    def _level(self, nodes, tz) -> _Level:
        """Decided once per call rather than per value: a many-to-many key
        takes the row's key as a placeholder (keeping its place in the
        order) and is filled in by `rows`."""
        keys, paths, fixes = [], [], []
        for node in nodes:
            keys.append(node.key)
            if isinstance(node, _Nested):
                paths.append(node.null_path)
                fixes.append((node.key, None, self._level(node.children, tz)))
            elif isinstance(node, _Leaf):
                paths.append(node.path)
                convert = _convert(node.field, tz)
                if convert is not None:
                    fixes.append((node.key, convert, None))
            else:
                paths.append("pk")
        return _Level(tuple(keys), _getter(paths), tuple(fixes))

    @staticmethod
    def _row(level: _Level, row) -> dict:
        out = dict(zip(level.keys, level.getter(row), strict=True))
        for key, convert, nested in level.fixes:
            value = out[key]
            if value is not None:
                out[key] = convert(value) if nested is None else RowPlan._row(nested, row)
        return out

    def rows(self, values_rows) -> list[dict]:
        """Build the output dicts; many-to-many lists take one query each."""
        from django.utils import timezone

        if isinstance(values_rows, models.QuerySet):
            values_rows = fetch_values(values_rows)
        else:
            values_rows = list(values_rows)
        level = self._level(self.nodes, timezone.get_current_timezone())
        build = self._row
        result = [build(level, row) for row in values_rows]
        if self.many and values_rows:
            pks = [row["pk"] for row in values_rows]
            for node in self.many:
                linked = _links(self.model, node.name, pks)
                key = node.key
                for out, pk in zip(result, pks, strict=True):
                    out[key] = linked.get(pk, [])
        return result

"""The audit log's hash chain.

Each AuditLog row carries `seq` (1, 2, 3 … without gaps), `prev_hash` (the
hash of row seq-1, "" for the first) and `hash`, a SHA-256 over the row's
recorded values and `prev_hash`. Changing a row breaks its hash; removing or
inserting one breaks the sequence or the next row's link; removing rows at
the end is caught against the chain head (AuditChainHead), whose single row
every writer locks before appending, so that two concurrent transactions
never link to the same predecessor (PostgreSQL: SELECT … FOR UPDATE;
SQLite: the database-wide write lock).

The hash covers what the record says, not database ids that a restore may
renumber: the content type is hashed as "app_label.model", the actor as the
account name (`actor` itself is set to NULL when an account is deleted)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

HASHED_FIELDS = (
    "seq",
    "prev_hash",
    "created_at",
    "actor_name",
    "unit",
    "ip",
    "action",
    "outcome",
    "content_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "changed_fields",
    "reason",
)


def _content_type_label(content_type) -> str:
    return "" if content_type is None else f"{content_type.app_label}.{content_type.model}"


def row_values(row, content_type_label: str | None = None) -> dict:
    """The hashed values of an AuditLog row (or a historical model's row)."""
    values = {name: getattr(row, name) for name in HASHED_FIELDS if name != "content_type"}
    values["created_at"] = row.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    values["ip"] = row.ip or ""
    values["content_type"] = (
        content_type_label
        if content_type_label is not None
        else _content_type_label(row.content_type)
    )
    return values


def compute_hash(values: dict) -> str:
    canonical = json.dumps(
        values, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def append(row) -> None:
    """Link and insert the unsaved AuditLog `row` at the head of the chain."""
    from pingxiang_cf.models import AuditChainHead

    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            AuditChainHead.objects.get_or_create(pk=1)
            head = AuditChainHead.objects.select_for_update().get(pk=1)
        row.seq = head.seq + 1
        row.prev_hash = head.hash
        row.hash = compute_hash(row_values(row))
        row.save()
        AuditChainHead.objects.filter(pk=1).update(seq=row.seq, hash=row.hash)


@dataclass
class ChainReport:
    checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(*, limit_problems: int = 50) -> ChainReport:
    """Walk the whole chain in order and report every broken link."""
    from django.contrib.contenttypes.models import ContentType

    from pingxiang_cf.models import AuditChainHead, AuditLog

    labels = {ct.pk: _content_type_label(ct) for ct in ContentType.objects.all()}
    report = ChainReport()

    def problem(text: str) -> None:
        if len(report.problems) < limit_problems:
            report.problems.append(text)

    unchained = AuditLog.objects.filter(seq__isnull=True).count()
    if unchained:
        problem(f"{unchained} rows are outside the chain (no sequence number)")
    expected_seq, prev_hash = 1, ""
    rows = AuditLog.objects.filter(seq__isnull=False).order_by("seq")
    for row in rows.iterator(chunk_size=2000):
        report.checked += 1
        if row.seq != expected_seq:
            problem(f"#{row.seq}: sequence gap, expected #{expected_seq} (rows removed)")
        if row.prev_hash != prev_hash:
            problem(f"#{row.seq} (id {row.pk}): does not link to the previous row")
        label = labels.get(row.content_type_id, "") if row.content_type_id else ""
        if compute_hash(row_values(row, label)) != row.hash:
            problem(f"#{row.seq} (id {row.pk}): content does not match its hash (changed)")
        expected_seq, prev_hash = row.seq + 1, row.hash
    head = AuditChainHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, "")
    if (head_seq, head_hash) != (expected_seq - 1, prev_hash):
        problem(
            f"chain head says #{head_seq} but the last row is #{expected_seq - 1} "
            "(rows removed at the end, or the head was changed)"
        )
    return report

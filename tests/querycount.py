"""Query-count assertions: a page or endpoint must run a fixed number of
queries, whatever the number of rows."""

from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext


class QueryCount:
    def __init__(self):
        self.count = 0
        self.queries: list[str] = []


@contextmanager
def count_queries():
    """`with count_queries() as qc: ...` then read `qc.count` / `qc.queries`."""
    result = QueryCount()
    with CaptureQueriesContext(connection) as ctx:
        yield result
    result.queries = [q["sql"] for q in ctx.captured_queries]
    result.count = len(result.queries)


@contextmanager
def assert_max_queries(limit: int):
    """Fail if the block runs more than `limit` queries, listing them."""
    with count_queries() as qc:
        yield qc
    assert qc.count <= limit, f"{qc.count} queries > {limit}:\n" + "\n".join(qc.queries)


def assert_constant_queries(run, grow, *, limit: int) -> int:
    """Run `run()`, call `grow()` to add rows, run again: the two counts must
    be equal and at most `limit`. Returns the count."""
    with count_queries() as small:
        run()
    grow()
    with count_queries() as large:
        run()
    assert small.count == large.count, (
        f"query count grows with rows: {small.count} → {large.count}\n" + "\n".join(large.queries)
    )
    assert large.count <= limit, f"{large.count} queries > {limit}"
    return large.count

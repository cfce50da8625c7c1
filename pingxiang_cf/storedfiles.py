"""Stored files and the transaction, for every service that stores files.

Storage is not transactional: an evidence file is written before its row, and
a rollback that removes the row would leave the file behind. So each service
that stores files runs in `atomic_with_files` instead of `transaction.atomic`:
every file written is recorded in the innermost such block; a block left by
an exception (its rows are rolled back, to its savepoint or entirely, or the
commit itself failed) deletes its files; a block left normally hands them to
the block around it. When the outermost one returns inside a transaction of
its caller's (a test, a script), the files follow that transaction: an
on_commit callback marks them kept, and Django drops the callbacks of a
transaction or savepoint that rolls back, which removes the files."""

import functools
import logging
import threading
import weakref

from django.db import transaction

logger = logging.getLogger(__name__)

_file_blocks = threading.local()


def _remove_files(files: list) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("Could not remove the stored file %s", name)


def _remove_unless_committed(state: dict, files: list) -> None:
    if not state["committed"]:
        _remove_files(files)


def _files_follow_transaction(files: list) -> None:
    """Remove `files` unless the current transaction commits (see above)."""
    state = {"committed": False}

    def committed() -> None:
        state["committed"] = True

    # Runs once Django lets go of `committed`: after it ran (commit) or
    # without it having run (rollback of the transaction or the savepoint).
    weakref.finalize(committed, _remove_unless_committed, state, files)
    transaction.on_commit(committed)


def atomic_with_files(service):
    """`transaction.atomic` for a service that stores files (see above)."""

    @functools.wraps(service)
    def run(*args, **kwargs):
        stack = _file_blocks.__dict__.setdefault("stack", [])
        files: list = []
        stack.append(files)
        try:
            with transaction.atomic():
                result = service(*args, **kwargs)
        except BaseException:
            _remove_files(files)
            raise
        finally:
            stack.pop()
        if stack:
            stack[-1].extend(files)
        elif files and transaction.get_connection().in_atomic_block:
            _files_follow_transaction(files)
        return result

    return run


def store_file(storage, name: str, content) -> str:
    """Save `content` in `storage` inside an `atomic_with_files` block; the
    stored name is removed again if the block's transaction does not commit."""
    stored = storage.save(name, content)
    _file_blocks.stack[-1].append((storage, stored))
    return stored

"""Scratch files for imports and exports (剩余信息保护): created private
(mode 0600) in FILE_UPLOAD_TEMP_DIR or the system's temporary folder, and
deleted when the block ends, whether it succeeded or raised.

    with scratch_file(suffix=".xlsx") as path:
        workbook.save(path)
        ...
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings


@contextlib.contextmanager
def scratch_file(*, suffix: str = "", prefix: str = "pxcf-") -> Iterator[Path]:
    handle, name = tempfile.mkstemp(
        suffix=suffix, prefix=prefix, dir=getattr(settings, "FILE_UPLOAD_TEMP_DIR", None)
    )
    os.close(handle)
    path = Path(name)
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)

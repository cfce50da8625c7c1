"""What an uploaded file really is, read from its first bytes (not from the
name or the browser's content type). Only the kinds the ledger accepts as
evidence are recognised: PDF, PNG/JPEG/GIF, Office OOXML (docx/xlsx/pptx)
and legacy Office (doc/xls)."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extensions: tuple[str, ...]


PDF = FileKind("application/pdf", (".pdf",))
PNG = FileKind("image/png", (".png",))
JPEG = FileKind("image/jpeg", (".jpg", ".jpeg"))
GIF = FileKind("image/gif", (".gif",))
DOCX = FileKind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)
)
XLSX = FileKind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",))
PPTX = FileKind(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation", (".pptx",)
)
DOC = FileKind("application/msword", (".doc",))
XLS = FileKind("application/vnd.ms-excel", (".xls",))

# The main part that makes an OOXML package a document, workbook or deck.
OOXML_MAIN_PARTS = {
    "word/document.xml": DOCX,
    "xl/workbook.xml": XLSX,
    "ppt/presentation.xml": PPTX,
}
# A legacy Office file is an OLE2 compound file; the name of its main stream
# (stored in UTF-16LE in the directory) tells a Word document from a workbook.
OLE2_STREAMS = {
    DOC: ("WordDocument",),
    XLS: ("Workbook", "Book"),
}


def _read_head(file, size: int) -> bytes:
    file.seek(0)
    head = file.read(size)
    file.seek(0)
    return head


def _ooxml_kind(file) -> FileKind | None:
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        file.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    for part, kind in OOXML_MAIN_PARTS.items():
        if part in names:
            return kind
    return None


def _contains_any(file, needles: tuple[bytes, ...], chunk_size: int = 1 << 16) -> bool:
    """Whether any needle occurs in the file, read in overlapping chunks."""
    overlap = max(len(n) for n in needles) - 1
    file.seek(0)
    tail = b""
    try:
        while chunk := file.read(chunk_size):
            window = tail + chunk
            if any(n in window for n in needles):
                return True
            tail = window[-overlap:]
        return False
    finally:
        file.seek(0)


def _ole2_kind(file, extension: str) -> FileKind | None:
    """A legacy doc or xls: the extension names the kind claimed, the stream
    name in the compound file confirms it."""
    for kind, streams in OLE2_STREAMS.items():
        if extension in kind.extensions:
            needles = tuple(s.encode("utf-16-le") for s in streams)
            return kind if _contains_any(file, needles) else None
    return None


def sniff(file, extension: str = "") -> FileKind | None:
    """The kind of `file` (a seekable binary file) read from its content, or
    None if it is not one of the accepted kinds. `extension` (".doc") is used
    only to tell legacy Office kinds apart, never to accept a file."""
    head = _read_head(file, 16)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head.startswith(ZIP_MAGIC):
        return _ooxml_kind(file)
    if head.startswith(OLE2_MAGIC):
        return _ole2_kind(file, extension.lower())
    return None

"""What an uploaded file is, told from its content within fixed bounds.

An upload is identified by its first bytes (``filetype``), never by its name, and nothing is
ever unpacked or decompressed to do it: a small file that expands to gigabytes costs the same
as any other.  The office formats are ZIP files, so they are recognised from the entries'
local headers at the start of the file, which are not compressed:

- Word (docx) and Excel (xlsx): the first entries are the package's own parts
  (``[Content_Types].xml``, ``_rels/``, ``docProps/``) and one of the next four lies under
  ``word/`` or ``xl/`` (``filetype``'s reading of the first 8 KB);
- OpenDocument (odt, ods): the specification requires the first entry to be ``mimetype``,
  stored uncompressed and without an extra field, so its text is read as it lies in the file
  and must be exactly one of the two accepted types (its length and checksum agreeing).

Any other archive (ZIP, RAR, 7z, gzip …) is refused, and so is a file of another accepted type
that carries a ZIP archive at its end.  A PDF must also end as one (``%%EOF`` in its last
kilobyte) and open as one: pypdf reads its cross-reference table and counts its pages, with
decompression and the page tree capped well below pypdf's own limits.
"""

from __future__ import annotations

import hashlib
import logging
import struct
import zlib

import filetype
import pypdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pypdf.errors import FileNotDecryptedError

logger = logging.getLogger(__name__)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"

ALLOWED_UPLOAD_TYPES = {
    PDF: "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    DOCX: "Word (docx)",
    XLSX: "Excel (xlsx)",
    ODT: "OpenDocument (odt)",
    ODS: "OpenDocument (ods)",
}

#: the accepted types that are ZIP packages; every other ZIP is an archive
OFFICE_PACKAGES = {DOCX, XLSX, ODT, ODS}
OPEN_DOCUMENT = {ODT, ODS}

#: what ``filetype`` calls the archive and compression formats it recognises
ARCHIVE_TYPES = {
    "application/zip",
    "application/epub+zip",
    "application/x-tar",
    "application/x-rar-compressed",
    "application/gzip",
    "application/x-bzip2",
    "application/x-7z-compressed",
    "application/x-xz",
    "application/x-brotli",
    "application/x-compress",
    "application/x-lzip",
    "application/x-lzop",
    "application/x-lz4",
    "application/zstd",
    "application/vnd.ms-cab-compressed",
    "application/x-unix-archive",
    "application/x-deb",
    "application/x-rpm",
}

#: how much of the start is read to identify a file
HEAD_BYTES = 8192
#: a ZIP's end record (22 bytes) with the longest comment it can have lies within this many
#: bytes of the end: ZIP readers look for it there, and so do we
TAIL_BYTES = 22 + 0xFFFF

#: a PDF ends with ``%%EOF`` within its last kilobyte (as Adobe's readers require)
PDF_END_BYTES = 1024
#: pypdf's limits while a PDF is checked: the parts read to count pages (cross-reference and
#: object streams, the page tree) are small, so the decompression of any one stream stops at
#: 16 MB (pypdf's own default is 75 MB) and the page tree at 10 000 entries (100 000)
PDF_LIMITS = {
    **{
        name: 16 * 1024 * 1024
        for name in (
            "maximum_declared_stream_length",
            "array_based_stream_maximum_output_length",
            "zlib_maximum_output_length",
            "lzw_maximum_output_length",
            "run_length_maximum_output_length",
            "brotli_maximum_output_length",
            "jbig2_maximum_output_length",
            "image_maximum_buffer_size",
        )
    },
    "page_tree_maximum_entries": 10_000,
}

LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")  # a ZIP entry's local file header (30 bytes)


def type_names() -> str:
    return ", ".join(sorted(set(ALLOWED_UPLOAD_TYPES.values())))


def help_text() -> str:
    """What a file field takes, for its help text."""
    return _("PDF, Word, Excel, OpenDocument, PNG or JPEG, at most %(limit)s MB.") % {
        "limit": settings.UPLOAD_MAX_BYTES // (1024 * 1024)
    }


def checksum(upload) -> str:
    """The SHA-256 of an uploaded file (hex), read in chunks; leaves the file at its start."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def identify(upload) -> str:
    """The accepted content type of ``upload``, or ValidationError saying why it is refused.

    Reads at most the first 8 KB and the last 64 KB, plus what pypdf reads of a PDF, which is
    no more than the file (whose size the caller has limited).  Leaves the file at its start.
    """
    head = _read(upload, 0, HEAD_BYTES)
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime in OPEN_DOCUMENT and not _open_document_declares(head, mime):
        mime = "application/zip"
    if mime in ARCHIVE_TYPES:
        raise _archive_refused(mime)
    if mime not in ALLOWED_UPLOAD_TYPES:
        logger.warning("Upload refused: content type %s", mime or "unknown")
        raise ValidationError(
            _("The file type is not allowed. Upload %(types)s.") % {"types": type_names()},
            code="file_type",
        )
    if mime not in OFFICE_PACKAGES and _ends_with_zip(upload):
        raise _archive_refused(f"{mime} with a ZIP archive at its end")
    if mime == PDF:
        _check_pdf(upload)
    return mime


def _read(upload, offset: int, length: int) -> bytes:
    upload.seek(offset)
    try:
        return upload.read(length)
    finally:
        upload.seek(0)


def _archive_refused(what: str) -> ValidationError:
    logger.warning("Upload refused: an archive (%s)", what)
    return ValidationError(
        _("Packed files such as ZIP are not accepted. Upload each document as a file of its own."),
        code="archive",
    )


def _open_document_declares(head: bytes, mime: str) -> bool:
    """Whether the first entry is the ``mimetype`` an OpenDocument file must begin with, stored
    as the specification says (uncompressed, no extra field) and naming exactly ``mime``."""
    if len(head) < LOCAL_HEADER.size:
        return False
    (signature, _version, flags, method, _time, _date, crc, packed, size, name_length, extra_length) = (
        LOCAL_HEADER.unpack_from(head)
    )
    name_end = LOCAL_HEADER.size + name_length
    value = mime.encode("ascii")
    declared = head[name_end : name_end + len(value)]
    sized = (packed == size == len(value) and crc == zlib.crc32(value)) or (
        flags & 0x08 and packed == size == crc == 0  # sizes and checksum follow the data
    )
    return (
        signature == b"PK\x03\x04"
        and method == 0
        and extra_length == 0
        and head[LOCAL_HEADER.size : name_end] == b"mimetype"
        and declared == value
        and bool(sized)
    )


def _ends_with_zip(upload) -> bool:
    """Whether a ZIP archive's end record lies in the last 64 KB, with its central directory
    right before it: the file is, or ends with, a ZIP archive, whatever it starts as."""
    start = max(0, upload.size - TAIL_BYTES)
    tail = _read(upload, start, TAIL_BYTES)
    position = tail.rfind(b"PK\x05\x06")
    while position != -1:
        if tail[max(0, position - 20) : position].startswith(b"PK\x06\x07"):
            return True  # a ZIP64 end-record locator
        directory_size = int.from_bytes(tail[position + 12 : position + 16], "little")
        directory_at = start + position - directory_size
        if directory_at >= 0 and _read(upload, directory_at, 4) == b"PK\x01\x02":
            return True
        position = tail.rfind(b"PK\x05\x06", 0, position)
    return False


def _check_pdf(upload) -> None:
    """A file that starts as a PDF must end as one, open as one and have pages."""
    if b"%%EOF" not in _read(upload, max(0, upload.size - PDF_END_BYTES), PDF_END_BYTES):
        raise _pdf_unreadable("no end-of-file marker")
    try:
        with pypdf.apply_configuration(**PDF_LIMITS):
            pages = len(pypdf.PdfReader(upload, strict=False).pages)
    except FileNotDecryptedError:
        logger.warning("Upload refused: a PDF protected with a password")
        raise ValidationError(
            _("The PDF is protected with a password. Upload a copy without a password."),
            code="pdf_password",
        ) from None
    except Exception as exc:  # noqa: BLE001 - whatever a hostile file makes the parser raise
        raise _pdf_unreadable(repr(exc)) from None
    finally:
        upload.seek(0)
    if not pages:
        raise _pdf_unreadable("no pages")


def _pdf_unreadable(why: str) -> ValidationError:
    logger.warning("Upload refused: a file that starts as a PDF does not open as one (%s)", why)
    return ValidationError(
        _(
            "The file looks like a PDF but cannot be opened as one. "
            "Save or export it as PDF again and upload the new file."
        ),
        code="pdf_unreadable",
    )

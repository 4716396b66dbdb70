"""Virus scanning of uploaded files with ClamAV's daemon (clamd).

Off unless ``CLAMD_SOCKET`` (a Unix socket path) or ``CLAMD_HOST`` (with ``CLAMD_PORT``) is set.
``organizations.services.document_check_upload`` calls ``scan_upload`` for every upload;
so can any app that accepts files.  With ``CLAMD_FAIL_CLOSED`` (the default) an upload is
refused while a configured scanner cannot be reached.
"""

from __future__ import annotations

import logging
import socket
import struct

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

CHUNK = 64 * 1024


class ScannerUnavailable(Exception):
    pass


class ClamdScanner:
    """Streams a file to clamd (INSTREAM) and returns the name of what it found, or None."""

    def __init__(self, *, socket_path: str = "", host: str = "", port: int = 3310, timeout: float = 30):
        self.socket_path, self.host, self.port, self.timeout = socket_path, host, port, timeout

    def _connect(self) -> socket.socket:
        try:
            if self.socket_path:
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                sock.settimeout(self.timeout)
                sock.connect(self.socket_path)
            else:
                sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as exc:
            raise ScannerUnavailable(str(exc)) from exc
        return sock

    def ping(self) -> bool:
        try:
            with self._connect() as sock:
                sock.sendall(b"zPING\0")
                return sock.recv(64).rstrip(b"\0") == b"PONG"
        except (OSError, ScannerUnavailable):
            return False

    def scan(self, fileobj) -> str | None:
        position = fileobj.tell() if hasattr(fileobj, "tell") else 0
        try:
            with self._connect() as sock:
                sock.sendall(b"zINSTREAM\0")
                while chunk := fileobj.read(CHUNK):
                    sock.sendall(struct.pack("!L", len(chunk)) + chunk)
                sock.sendall(struct.pack("!L", 0))
                reply = b""
                while not reply.endswith(b"\0"):
                    part = sock.recv(4096)
                    if not part:
                        break
                    reply += part
        except OSError as exc:
            raise ScannerUnavailable(str(exc)) from exc
        finally:
            if hasattr(fileobj, "seek"):
                fileobj.seek(position)
        text = reply.rstrip(b"\0").decode("utf-8", "replace")
        if text.endswith("OK"):
            return None
        if text.endswith("FOUND"):
            return text.split(":", 1)[-1].rsplit(" ", 1)[0].strip()
        raise ScannerUnavailable(text or "no answer")


def get_scanner() -> ClamdScanner | None:
    if settings.CLAMD_SOCKET or settings.CLAMD_HOST:
        return ClamdScanner(
            socket_path=settings.CLAMD_SOCKET,
            host=settings.CLAMD_HOST,
            port=settings.CLAMD_PORT,
            timeout=settings.CLAMD_TIMEOUT,
        )
    return None


def scan_upload(upload, scanner=None) -> None:
    """Refuse ``upload`` (ValidationError) when the scanner finds malware in it."""
    scanner = scanner or get_scanner()
    if scanner is None:
        return
    try:
        found = scanner.scan(upload)
    except ScannerUnavailable:
        logger.exception("The virus scanner could not be reached")
        if settings.CLAMD_FAIL_CLOSED:
            raise ValidationError(
                _("The file could not be checked for viruses just now. Try again in a while."),
                code="scanner_unavailable",
            ) from None
        return
    if found:
        logger.warning("Upload refused: the virus scanner found %s", found)
        raise ValidationError(
            _("The file contains a virus or other harmful content (%(name)s) and was not saved.")
            % {"name": found},
            code="infected",
        )

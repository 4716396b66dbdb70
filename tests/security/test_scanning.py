"""Uploads go through the virus scanner when one is configured."""

import os
import socket
import struct
import tempfile
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from organizations import scanning
from organizations.models import OrganisationDocument

from ..pdf import tiny_pdf

# The EICAR test file: harmless, and every virus scanner reports it.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
PDF = tiny_pdf()


class FakeScanner:
    def __init__(self, verdict=None, unavailable=False):
        self.verdict, self.unavailable, self.seen = verdict, unavailable, []

    def scan(self, fileobj):
        if self.unavailable:
            raise scanning.ScannerUnavailable("down")
        self.seen.append(fileobj.read())
        fileobj.seek(0)
        return self.verdict


def _upload(client, world, content=PDF):
    client.force_login(world.users["applicant"])
    return client.post(
        reverse("organizations:documents", kwargs={"pk": world.organisation.pk}),
        {"doc_type": "statutes", "year": 2026, "file": SimpleUploadedFile("stadgar.pdf", content)},
    )


@pytest.mark.django_db
def test_an_infected_file_is_refused_with_a_swedish_message_and_not_saved(client, world, monkeypatch):
    scanner = FakeScanner(verdict="Win.Test.EICAR_HDB-1")
    monkeypatch.setattr(scanning, "get_scanner", lambda: scanner)
    response = _upload(client, world)
    assert response.status_code == 200
    assert (
        "innehåller virus eller annat skadligt innehåll (Win.Test.EICAR_HDB-1)" in response.content.decode()
    )
    assert scanner.seen == [PDF]
    assert not OrganisationDocument.objects.exists()


@pytest.mark.django_db
def test_a_clean_file_is_saved(client, world, monkeypatch):
    monkeypatch.setattr(scanning, "get_scanner", lambda: FakeScanner(verdict=None))
    assert _upload(client, world).status_code == 302
    assert OrganisationDocument.objects.count() == 1


@pytest.mark.django_db
def test_uploads_wait_while_a_configured_scanner_is_down(client, world, monkeypatch, settings):
    monkeypatch.setattr(scanning, "get_scanner", lambda: FakeScanner(unavailable=True))
    assert "kunde inte kontrolleras mot virus" in _upload(client, world).content.decode()
    assert not OrganisationDocument.objects.exists()
    settings.CLAMD_FAIL_CLOSED = False
    assert _upload(client, world).status_code == 302


def test_scanning_is_off_unless_configured(settings):
    settings.CLAMD_SOCKET = settings.CLAMD_HOST = ""
    assert scanning.get_scanner() is None
    scanning.scan_upload(SimpleUploadedFile("x.pdf", EICAR))  # nothing to ask: accepted


class FakeClamd(threading.Thread):
    """Speaks clamd's INSTREAM protocol on a Unix socket and finds EICAR like the real one."""

    def __init__(self, path):
        super().__init__(daemon=True)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(path)
        self.sock.listen(1)

    def run(self):
        conn, _ = self.sock.accept()
        with conn:
            command = b""
            while not command.endswith(b"\0"):
                command += conn.recv(1)
            data = b""
            while True:
                (size,) = struct.unpack("!L", conn.recv(4, socket.MSG_WAITALL))
                if size == 0:
                    break
                data += conn.recv(size, socket.MSG_WAITALL)
            found = b"stream: Eicar-Test-Signature FOUND\0" if EICAR in data else b"stream: OK\0"
            conn.sendall(found)


@pytest.mark.parametrize("content,expected", [(EICAR, "Eicar-Test-Signature"), (PDF, None)])
def test_the_clamd_client_streams_the_file_and_reads_the_verdict(content, expected):
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "clamd.sock")
        server = FakeClamd(path)
        server.start()
        upload = SimpleUploadedFile("f.pdf", content)
        assert scanning.ClamdScanner(socket_path=path, timeout=5).scan(upload) == expected
        assert upload.read() == content  # left at the start for whoever reads it next
        server.join(5)


def _real_clamd():
    socket_path = os.environ.get("CLAMD_SOCKET") or (
        "/var/run/clamav/clamd.ctl" if os.path.exists("/var/run/clamav/clamd.ctl") else ""
    )
    host = os.environ.get("CLAMD_HOST", "")
    scanner = scanning.ClamdScanner(
        socket_path=socket_path, host=host, port=int(os.environ.get("CLAMD_PORT", 3310))
    )
    if not (socket_path or host) or not scanner.ping():
        return None
    return scanner


def test_a_real_clamd_finds_the_eicar_test_file():
    scanner = _real_clamd()
    if scanner is None:
        pytest.skip("No ClamAV daemon reachable (set CLAMD_SOCKET or CLAMD_HOST to run this test).")
    with pytest.raises(ValidationError, match="virus"):
        scanning.scan_upload(SimpleUploadedFile("eicar.pdf", EICAR), scanner=scanner)
    scanning.scan_upload(SimpleUploadedFile("ok.pdf", PDF), scanner=scanner)

"""Documents kept in an S3-compatible bucket, so that every web and worker machine serves them.

The tests speak the S3 protocol to a real server: moto's, started here in a thread, or the one
``BIDRA_TEST_S3_ENDPOINT_URL`` names (CI runs them once more against ``moto_server`` started as a
process of its own; ``BIDRA_TEST_S3_ACCESS_KEY_ID`` and ``BIDRA_TEST_S3_SECRET_ACCESS_KEY`` give
its key, if it wants a real one).  Each test has a bucket of its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from datetime import date
from pathlib import Path

import boto3
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from config.storage import document_storage
from grants import services as grants
from grants.models import ApplicationAttachment
from workflows.models import StoredDocument

from ..grants.decisions import decided_meeting
from ..grants.factories import draft_application, pdf_upload
from ..pdf import tiny_pdf

ROOT = Path(__file__).resolve().parents[2]
BUDGET = tiny_pdf(pages=2)  # not the factories' one-page file, so that a mix-up shows


@pytest.fixture(scope="session")
def s3_endpoint():
    """The URL of an S3 protocol server: the one given, or moto's in a thread of this process."""
    given = os.environ.get("BIDRA_TEST_S3_ENDPOINT_URL", "")
    if given:
        yield given
        return
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint):
    """A new, empty bucket, made the default storage of documents the way production configures it."""
    name = f"bidra-test-{uuid.uuid4().hex[:12]}"
    environment = {
        "BIDRA_DOCUMENT_STORAGE": "s3",
        "BIDRA_S3_BUCKET": name,
        "BIDRA_S3_ENDPOINT_URL": s3_endpoint,
        "BIDRA_S3_REGION": "eu-north-1",
        "BIDRA_S3_ACCESS_KEY_ID": os.environ.get("BIDRA_TEST_S3_ACCESS_KEY_ID", "testing"),
        "BIDRA_S3_SECRET_ACCESS_KEY": os.environ.get("BIDRA_TEST_S3_SECRET_ACCESS_KEY", "testing"),
        "BIDRA_S3_PREFIX": "documents",
        "BIDRA_S3_ADDRESSING_STYLE": "path",
    }
    s3 = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="eu-north-1",
        aws_access_key_id=environment["BIDRA_S3_ACCESS_KEY_ID"],
        aws_secret_access_key=environment["BIDRA_S3_SECRET_ACCESS_KEY"],
    )
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"})
    storages = {
        "default": document_storage(environment),
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        yield Bucket(s3, name)
    for key in Bucket(s3, name).objects():
        s3.delete_object(Bucket=name, Key=key)
    s3.delete_bucket(Bucket=name)


class Bucket:
    """What the bucket holds, read with the S3 client (not through Bidra)."""

    def __init__(self, s3, name: str):
        self.s3, self.name = s3, name

    def objects(self) -> set[str]:
        listed = self.s3.list_objects_v2(Bucket=self.name)
        return {item["Key"] for item in listed.get("Contents", [])}

    def read(self, key: str) -> bytes:
        return self.s3.get_object(Bucket=self.name, Key=key)["Body"].read()


def _attach(world, application, data: bytes, name: str = "budget.pdf") -> ApplicationAttachment:
    key = f"attachment:{world.objects['config']['attachments']['budget'].pk}"
    return grants.application_attach(
        application=application, by=world.users["applicant"], key=key, upload=pdf_upload(name, data)
    )


def test_an_uploaded_attachment_lands_in_the_bucket_and_downloads_only_for_those_allowed(
    world, bucket, client
):
    application = draft_application(world)
    attachment = _attach(world, application, BUDGET, name="Budget 2026.pdf")

    key = f"documents/{attachment.file.name}"
    assert key in bucket.objects()
    assert bucket.read(key) == BUDGET
    assert not Path(attachment.file.name).is_absolute()

    url = reverse("grants:attachment_download", args=[attachment.pk])
    client.force_login(world.users["applicant"])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == BUDGET
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Budget 2026.pdf" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"

    client.force_login(world.users["other_applicant"])
    assert client.get(url).status_code in (403, 404)


def test_a_decision_letter_is_stored_in_the_bucket_and_read_from_it(world, bucket, client):
    decided = decided_meeting(world)
    document = decided["letter"].document
    key = f"documents/{document.file.name}"
    assert key in bucket.objects()
    stored = bucket.read(key)
    assert stored.startswith(b"%PDF") and len(stored) == document.size

    client.force_login(world.users["applicant"])
    response = client.get(reverse("grants:letter_download", args=[decided["letter"].pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]


def test_a_deleted_rows_object_is_gone_after_commit_and_kept_after_a_rollback(
    world, bucket, django_capture_on_commit_callbacks
):
    application = draft_application(world)
    attachment = application.files.get()
    pk, key = attachment.pk, f"documents/{attachment.file.name}"

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        ApplicationAttachment.objects.get(pk=pk).delete()
        raise RuntimeError("the deletion is rolled back")
    assert ApplicationAttachment.objects.filter(pk=pk).exists()
    assert key in bucket.objects()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ApplicationAttachment.objects.get(pk=pk).delete()
    assert key in bucket.objects(), "the object stays until the deletion is committed"
    for callback in callbacks:
        callback()
    assert key not in bucket.objects()


def test_a_draft_attachment_uploaded_again_replaces_the_earlier_object(
    world, bucket, django_capture_on_commit_callbacks
):
    application = draft_application(world)
    earlier = application.files.get()
    earlier_key = f"documents/{earlier.file.name}"

    with django_capture_on_commit_callbacks(execute=True):
        later = _attach(world, application, BUDGET, name="budget-rättad.pdf")

    assert list(application.files.values_list("pk", flat=True)) == [later.pk]
    assert bucket.objects() >= {f"documents/{later.file.name}"}
    assert earlier_key not in bucket.objects()
    assert bucket.read(f"documents/{later.file.name}") == BUDGET


def test_a_compact_evaluation_report_uploaded_again_replaces_the_earlier_object(
    world, bucket, django_capture_on_commit_callbacks
):
    from compact import services as compacts

    from ..compact.factories import compact

    c = compact(world, adopted_on=date(2026, 1, 15))

    def record(data: bytes):
        with django_capture_on_commit_callbacks(execute=True):
            return compacts.compact_evaluation_record(
                compact=c,
                evaluated_on=date(2029, 10, 1),
                findings="Samverkan har blivit tätare.",
                next_steps="Förnya med en ny handlingsplan.",
                upload=SimpleUploadedFile("utvardering.pdf", data, "application/pdf"),
                by=world.users["caseworker"],
            )

    first = record(tiny_pdf())
    first_key = f"documents/{first.file.name}"
    assert first_key in bucket.objects()
    second = record(tiny_pdf(pages=3))
    assert second.pk == first.pk
    assert bucket.objects() & {first_key, f"documents/{second.file.name}"} == {
        f"documents/{second.file.name}"
    }


def test_a_stored_document_missing_from_the_bucket_is_not_found(world, bucket, client):
    decided = decided_meeting(world)
    document: StoredDocument = decided["letter"].document
    bucket.s3.delete_object(Bucket=bucket.name, Key=f"documents/{document.file.name}")
    client.force_login(world.users["applicant"])
    response = client.get(reverse("grants:letter_download", args=[decided["letter"].pk]))
    assert response.status_code == 404


# ---- the settings ----


def test_the_local_default_needs_no_variable():
    assert document_storage({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_s3_is_configured_from_the_variables_with_private_objects():
    entry = document_storage(
        {
            "BIDRA_DOCUMENT_STORAGE": "s3",
            "BIDRA_S3_BUCKET": "bidra-dokument",
            "BIDRA_S3_ENDPOINT_URL": "https://s3.example.se",
            "BIDRA_S3_REGION": "eu-north-1",
            "BIDRA_S3_ACCESS_KEY_ID": "AKIAEXAMPLE",
            "BIDRA_S3_SECRET_ACCESS_KEY": "hemligt",
            "BIDRA_S3_PREFIX": "/exemplo/",
            "BIDRA_S3_ADDRESSING_STYLE": "path",
        }
    )
    assert entry["BACKEND"] == "storages.backends.s3.S3Storage"
    options = entry["OPTIONS"]
    assert options["bucket_name"] == "bidra-dokument" and options["location"] == "exemplo"
    assert options["default_acl"] is None and options["querystring_auth"] is True
    assert options["file_overwrite"] is False


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"BIDRA_DOCUMENT_STORAGE": "s3"}, "BIDRA_S3_BUCKET"),
        (
            {"BIDRA_DOCUMENT_STORAGE": "s3", "BIDRA_S3_BUCKET": "b", "BIDRA_S3_ACCESS_KEY_ID": "AKIA"},
            "BIDRA_S3_SECRET_ACCESS_KEY",
        ),
        (
            {"BIDRA_DOCUMENT_STORAGE": "s3", "BIDRA_S3_BUCKET": "b", "BIDRA_S3_SECRET_ACCESS_KEY": "x"},
            "BIDRA_S3_ACCESS_KEY_ID",
        ),
        (
            {"BIDRA_DOCUMENT_STORAGE": "s3", "BIDRA_S3_BUCKET": "b", "BIDRA_S3_ADDRESSING_STYLE": "sideways"},
            "BIDRA_S3_ADDRESSING_STYLE",
        ),
        ({"BIDRA_DOCUMENT_STORAGE": "s3", "BIDRA_S3_BUCKET": "b", "BIDRA_S3_ENDPOINT_URL": "s3.se"}, "http"),
        ({"BIDRA_DOCUMENT_STORAGE": "nfs"}, "local or s3"),
        ({"BIDRA_S3_BUCKET": "b"}, "BIDRA_DOCUMENT_STORAGE"),
    ],
)
def test_an_incomplete_s3_configuration_is_refused_naming_what_is_missing(environment, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        document_storage(environment)


def _production_check(**variables) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("BIDRA_S3_", "BIDRA_DOCUMENT_STORAGE", "DJANGO_SETTINGS_MODULE"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="config.production",
        SECRET_KEY="a-long-random-production-key-" + "x" * 40,
        ALLOWED_HOSTS="bidra.example.se",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
        **variables,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_half_an_s3_configuration_and_starts_with_a_whole_one():
    refused = _production_check(BIDRA_DOCUMENT_STORAGE="s3", BIDRA_S3_ENDPOINT_URL="https://s3.example.se")
    assert refused.returncode != 0
    assert "BIDRA_S3_BUCKET" in refused.stderr

    started = _production_check(
        BIDRA_DOCUMENT_STORAGE="s3",
        BIDRA_S3_BUCKET="bidra-dokument",
        BIDRA_S3_ENDPOINT_URL="https://s3.example.se",
        BIDRA_S3_ACCESS_KEY_ID="AKIAEXAMPLE",
        BIDRA_S3_SECRET_ACCESS_KEY="hemligt",
    )
    assert started.returncode == 0, started.stderr

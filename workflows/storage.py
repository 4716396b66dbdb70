"""Documents in the configured storage (a disk, or an S3-compatible bucket; see config/storage.py).

No code reads a document by a path on this machine: a download streams the stored file through
``file_download`` after the view's permission check, a new document is saved with the storage API,
and a file leaves the storage only once the row that holds it is gone for good (after commit).
"""

from __future__ import annotations

import logging

from django.apps import apps
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.http import FileResponse, Http404

logger = logging.getLogger(__name__)


def file_download(
    file, *, filename: str, content_type: str = "application/pdf", as_attachment: bool = True
) -> FileResponse:
    """A stored file as a download under ``filename``; the browser may not guess another type.

    ``file`` is a model's ``FieldFile``.  A file the storage no longer has is a 404 (and an error in
    the log), not a server error.  ``as_attachment=False`` lets the browser show it in place.
    """
    if not file:
        raise Http404
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        logger.error(
            "The stored file %s of %s is missing from the document storage", file.name, file.instance
        )
        raise Http404 from None
    response = FileResponse(handle, as_attachment=as_attachment, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def file_delete_on_commit(file, *, using: str | None = None) -> None:
    """Remove ``file`` (a model's ``FieldFile``) from its storage once the transaction commits."""
    if file:
        name_delete_on_commit(file.storage, file.name, using=using)


def name_delete_on_commit(storage, name: str, *, using: str | None = None) -> None:
    """Remove the file ``name`` from ``storage`` once the transaction commits; a rollback keeps it.

    A storage that fails then (a bucket out of reach) leaves the object behind and logs it: the
    row is gone or points elsewhere either way, and nothing refers to the file any more.
    """
    if not name:
        return

    def delete() -> None:
        storage.delete(name)

    transaction.on_commit(delete, using=using, robust=True)


def file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [field for field in model._meta.get_fields() if isinstance(field, models.FileField)]


def _delete_files_of_deleted_row(sender, instance, using, **kwargs) -> None:
    for field in file_fields(sender):
        file_delete_on_commit(getattr(instance, field.attname), using=using)


def connect_file_cleanup() -> None:
    """Every model with a file field gives its files back to the storage when a row is deleted."""
    for model in apps.get_models():
        if file_fields(model):
            post_delete.connect(
                _delete_files_of_deleted_row,
                sender=model,
                weak=False,
                dispatch_uid=f"workflows.storage.cleanup.{model._meta.label_lower}",
            )

"""Where documents are kept: this machine's disk, or an S3-compatible object store.

``BIDRA_DOCUMENT_STORAGE=local`` (the default) keeps them under ``PRIVATE_MEDIA_ROOT``; one
machine serves them.  ``BIDRA_DOCUMENT_STORAGE=s3`` keeps them as private objects in a bucket
that every web and worker machine reaches; a download is still served by Bidra after its
permission check, never by a link to the bucket.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

LOCAL = "local"
S3 = "s3"
#: every variable the s3 mode reads; none of them means anything in the local mode
S3_VARIABLES = (
    "BIDRA_S3_BUCKET",
    "BIDRA_S3_ENDPOINT_URL",
    "BIDRA_S3_REGION",
    "BIDRA_S3_ACCESS_KEY_ID",
    "BIDRA_S3_SECRET_ACCESS_KEY",
    "BIDRA_S3_PREFIX",
    "BIDRA_S3_ADDRESSING_STYLE",
)
ADDRESSING_STYLES = ("auto", "path", "virtual")


def document_storage(environment: Mapping[str, str]) -> dict:
    """The ``STORAGES["default"]`` entry the variables in ``environment`` describe.

    Raises ``ImproperlyConfigured``, naming the variable, for a mode it does not know, for an
    s3 mode without its bucket or with half a key pair, and for s3 variables given to the
    local mode (documents would silently stay on one machine's disk).
    """
    mode = (environment.get("BIDRA_DOCUMENT_STORAGE") or LOCAL).strip().lower()
    given = {name: environment[name].strip() for name in S3_VARIABLES if environment.get(name, "").strip()}
    if mode == LOCAL:
        if given:
            raise ImproperlyConfigured(
                f"{', '.join(sorted(given))} set, but BIDRA_DOCUMENT_STORAGE is not s3: documents would "
                "stay on this machine's disk. Set BIDRA_DOCUMENT_STORAGE=s3, or remove the BIDRA_S3_ variables."
            )
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if mode != S3:
        raise ImproperlyConfigured(f"BIDRA_DOCUMENT_STORAGE must be local or s3, not {mode!r}.")
    if "BIDRA_S3_BUCKET" not in given:
        raise ImproperlyConfigured(
            "BIDRA_DOCUMENT_STORAGE=s3 needs BIDRA_S3_BUCKET, the bucket for documents."
        )
    key_pair = ("BIDRA_S3_ACCESS_KEY_ID", "BIDRA_S3_SECRET_ACCESS_KEY")
    if sum(name in given for name in key_pair) == 1:
        missing = next(name for name in key_pair if name not in given)
        raise ImproperlyConfigured(
            f"BIDRA_DOCUMENT_STORAGE=s3 has half a key: {missing} is missing "
            "(give both BIDRA_S3_ACCESS_KEY_ID and BIDRA_S3_SECRET_ACCESS_KEY, or neither to use "
            "the machine's own AWS credentials)."
        )
    style = given.get("BIDRA_S3_ADDRESSING_STYLE", "").lower()
    if style and style not in ADDRESSING_STYLES:
        raise ImproperlyConfigured(
            f"BIDRA_S3_ADDRESSING_STYLE must be one of {', '.join(ADDRESSING_STYLES)}, not {style!r}."
        )
    endpoint = given.get("BIDRA_S3_ENDPOINT_URL", "")
    if endpoint and not endpoint.startswith(("https://", "http://")):
        raise ImproperlyConfigured(f"BIDRA_S3_ENDPOINT_URL must be an http(s) URL, not {endpoint!r}.")
    options = {
        "bucket_name": given["BIDRA_S3_BUCKET"],
        "endpoint_url": endpoint or None,
        "region_name": given.get("BIDRA_S3_REGION") or None,
        "access_key": given.get("BIDRA_S3_ACCESS_KEY_ID") or None,
        "secret_key": given.get("BIDRA_S3_SECRET_ACCESS_KEY") or None,
        "location": given.get("BIDRA_S3_PREFIX", "").strip("/"),
        "addressing_style": style or None,
        # private objects: no ACL is sent, the bucket's own policy applies, and a URL to an
        # object (never handed out by Bidra) would carry a signature that expires
        "default_acl": None,
        "querystring_auth": True,
        # a second file under a name already taken gets a name of its own, as on disk: an
        # upload never overwrites another row's document
        "file_overwrite": False,
        # a download is read from the bucket into a buffer that spills to a temporary file past
        # this size, so a large file does not sit in a worker's memory
        "max_memory_size": 4 * 1024 * 1024,
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}

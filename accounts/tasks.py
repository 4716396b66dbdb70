"""Background work for personal data: safe to run twice."""

from celery import shared_task


@shared_task
def retention_apply() -> dict:
    """Delete or anonymise what has been kept long enough (accounts/retention.py)."""
    from .retention import retention_apply as apply

    return apply()

"""Background work of the public register.  Each task calls a service and is safe to run twice."""

from celery import shared_task


@shared_task
def register_refresh(municipality_id: int) -> dict:
    """Bring one municipality's public register up to date (after minutes are posted, …)."""
    from organizations.models import Municipality

    from .services import register_refresh as refresh

    municipality = Municipality.objects.filter(pk=municipality_id).first()
    if municipality is None:
        return {}
    return refresh(municipality=municipality)


@shared_task
def register_refresh_all() -> dict:
    """The nightly refresh of every municipality's register (renamed organisations and programs)."""
    from .services import register_refresh_all as refresh_all

    return refresh_all()

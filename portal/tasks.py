from celery import shared_task

from . import services


@shared_task
def board_expire_due() -> int:
    """Nightly: posts whose last day has passed leave the board."""
    return services.board_posts_expire()

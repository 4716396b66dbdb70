from celery import shared_task

from . import services


@shared_task
def board_expire_due() -> int:
    """Every few hours: posts whose last day has passed leave the board (each with its log row)."""
    return services.board_posts_expire()

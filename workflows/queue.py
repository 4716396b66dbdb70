"""Handing work to the Celery worker once a transaction has committed.

Every task a service starts after commit goes through ``delay_on_commit``.  By the time it
runs the request's work is committed (an application is submitted, minutes are posted), so a
broker that cannot be reached must not turn the answer into an error page: the person would
retry and be told the step is no longer possible.  The failure is logged, and the work waits
where it is kept:

- e-mail is a row of the outbox, sent by the periodic ``outbox_send_pending`` (every minute);
- a meeting's decision letters are a letter job, which the secretary starts again on the
  meeting's letters page, and its documents are made again with the meeting page's button;
- payments, follow-up reports and the public register are caught up by their periodic tasks;
- anything else is named in the log with its ids, to be run again once the broker is back.
"""

import logging
from functools import partial

from django.db import transaction
from kombu.exceptions import OperationalError as BrokerUnreachable

logger = logging.getLogger(__name__)

#: what queueing a task raises when the broker is down or does not answer (Celery raises
#: kombu's OperationalError after its retries; the builtins cover a transport that does not wrap)
BROKER_ERRORS = (BrokerUnreachable, ConnectionError, TimeoutError)


def delay_on_commit(task, *args, **kwargs) -> None:
    """Queue ``task(*args, **kwargs)`` when the current transaction commits (at once outside one);
    a broker that cannot be reached is logged, never raised."""
    transaction.on_commit(partial(delay, task, *args, **kwargs))


def delay(task, *args, **kwargs) -> bool:
    """Queue ``task`` now.  False (and an error in the log) when the broker could not be reached."""
    try:
        task.delay(*args, **kwargs)
    except BROKER_ERRORS as exc:
        logger.error(
            "The task %s%r was not queued: the message broker could not be reached (%s). "
            "Its work is kept and done by the periodic tasks or from its page.",
            task.name,
            args,
            exc,
        )
        return False
    return True

"""Settings for the test suite: the product's settings plus test-only apps.

``tests.workflows.caseapp`` is a tiny case type (a "matter" with an amount)
that proves the committee-meeting engine works on any case model, without a
fake model in production code.  It has no migrations: the test database
creates its table directly.
"""

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.workflows.caseapp"]

# The concurrency tests' threads end with close_old_connections(), which keeps a persistent
# connection open after its thread is gone (and PostgreSQL then cannot drop the test database):
# in the tests every connection is closed at the end of its request or thread.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

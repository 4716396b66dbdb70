import pytest

from ..workflows.conftest import clock  # noqa: F401 - moves timezone.now() without sleeping


@pytest.fixture
def letter_worker(django_db_setup, settings, tmp_path):
    """A real ``celery worker`` that a test can kill (SIGKILL, its whole process group) and start again.

    Each letter takes ``BIDRA_LETTER_TEST_DELAY`` seconds longer in this worker, so that it can
    be stopped in the middle of a job.  Needs PostgreSQL and BIDRA_TEST_BROKER_URL (Redis).
    """
    import os
    import signal
    import subprocess
    import sys
    import time
    import uuid

    from config.celery import app

    from ..conftest import _database_url

    broker = os.environ.get("BIDRA_TEST_BROKER_URL", "")
    database_url = _database_url()
    if not broker or not database_url:
        pytest.skip(
            "needs PostgreSQL and BIDRA_TEST_BROKER_URL (a Redis URL): CI runs these with a real worker"
        )
    queue = f"bidra-letters-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "EMAIL_URL": "dummymail://",
        "PYTHONUNBUFFERED": "1",
        "BIDRA_VAR_DIR": str(tmp_path),
        "PRIVATE_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "BIDRA_LETTER_TEST_DELAY": "0.4",
    }

    class Worker:
        process = None
        starts = 0

        def start(self):
            self.starts += 1
            self.log = tmp_path / f"worker-{self.starts}.log"
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "-Q",
                    queue,
                    "-c",
                    "2",
                    "-l",
                    "info",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "-n",
                    f"{queue}-{self.starts}@%h",
                ],
                env=env,
                stdout=self.log.open("w"),
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: a kill takes the pool's children too
            )
            deadline = time.monotonic() + 60
            while "ready." not in self.log.read_text():
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.kill()
                    pytest.fail(f"the Celery worker did not start:\n{self.log.read_text()[-3000:]}")
                time.sleep(0.2)

        def kill(self):
            """Like a machine losing power: no warm shutdown, no acknowledgement, nothing finishes."""
            if self.process is not None and self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=20)

        def explain(self) -> str:
            return self.log.read_text()[-3000:] if self.process else ""

    previous = {k: app.conf[k] for k in ("task_always_eager", "broker_url", "task_default_queue")}
    app.conf.update(task_always_eager=False, broker_url=broker, task_default_queue=queue)
    app.__dict__.pop("amqp", None)
    worker = Worker()
    worker.start()
    yield worker
    worker.kill()
    app.conf.update(previous)
    app.__dict__.pop("amqp", None)

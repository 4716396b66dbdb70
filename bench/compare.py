"""Submissions over HTTP, this checkout against an earlier commit, on the same machine at the same
time: ``python -m bench.compare --before HEAD~3 --database-url postgres://…/bidra_bench_10000``.

This machine's speed changes by the hour (the reference loop of ``bench.run`` varies by half), so
two benchmark runs an hour apart cannot tell a change of a tenth.  Here two gunicorn servers
(2 workers each), one serving a worktree of the earlier commit, take turns on the same database in
blocks of submissions, each server alone on the machine during its block; the CPU each server
and PostgreSQL use per submission is read from /proc for each block.  Reported: per server the
submissions per second and CPU milliseconds per submission over all its blocks, and the ratios.

The database is one ``bench.run`` has generated (``--only none``); the drafts submitted here stay
in it, in municipalities of their own, as with ``bench.run``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .run import (
    QUEUE,
    ROOT,
    _broker_url,
    _purge_queue,
    cpu_by_process,
    cpu_delta_ms,
    csrf_tokens,
    gunicorn_server,
    prepare_drafts,
    subjects,
    submit_drafts,
)


def _worktree(rev: str, into: Path) -> Path:
    """A checkout of ``rev`` beside this one, with its translations compiled."""
    subprocess.run(["git", "worktree", "add", "--detach", str(into), rev], cwd=ROOT, check=True)
    subprocess.run(
        [sys.executable, "manage.py", "compile_translations"],
        cwd=into,
        env={**os.environ, "PYTHONPATH": str(into)},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return into


def compare(*, before: Path, database_url: str, blocks: int, per_block: int, clients: int, log) -> dict:
    broker = _broker_url()
    drafts = prepare_drafts(2 * blocks * per_block, subjects())
    sides = {"before": before, "after": ROOT}
    totals = {side: {"submitted": 0, "failed": 0, "seconds": 0.0, "cpu": {}} for side in sides}
    with (
        gunicorn_server(database_url, broker, cwd=before) as old,
        gunicorn_server(database_url, broker) as new,
    ):
        servers = {"before": old, "after": new}
        for side, (port, _pid) in servers.items():
            share = drafts[: blocks * per_block] if side == "before" else drafts[blocks * per_block :]
            log(f"  {side}: opening {len(share)} edit pages for their CSRF tokens")
            csrf_tokens(port, share, clients=clients)
        for block in range(blocks):
            # each side first in every other block: neither always follows the other's last writes
            order = ("before", "after") if block % 2 == 0 else ("after", "before")
            for side in order:
                port, pid = servers[side]
                offset = (0 if side == "before" else blocks * per_block) + block * per_block
                batch = drafts[offset : offset + per_block]
                cpu_before = cpu_by_process(pid)
                latencies, failures, wall = submit_drafts(port, batch, clients=clients)
                cpu = cpu_delta_ms(cpu_before, cpu_by_process(pid), 1)
                t = totals[side]
                t["submitted"] += len(latencies)
                t["failed"] += len(failures)
                t["seconds"] += wall
                for key, ms in cpu.items():
                    t["cpu"][key] = t["cpu"].get(key, 0.0) + ms
                log(f"  block {block + 1}/{blocks} {side}: {len(latencies) / wall:.1f}/s")
    if broker.startswith("redis://"):
        _purge_queue(broker)
    result = {}
    for side, t in totals.items():
        n = max(1, t["submitted"])
        result[side] = {
            "submitted": t["submitted"],
            "failed": t["failed"],
            "per_second": round(t["submitted"] / t["seconds"], 1),
            "cpu_ms_per_submission": {k: round(v / n, 2) for k, v in t["cpu"].items()},
        }
    b, a = result["before"], result["after"]
    result["ratio_after_to_before"] = {
        "per_second": round(a["per_second"] / b["per_second"], 3),
        **{
            f"cpu_{k}": round(a["cpu_ms_per_submission"][k] / b["cpu_ms_per_submission"][k], 3)
            for k in ("app", "database", "busy")
            if b["cpu_ms_per_submission"].get(k)
        },
    }
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", required=True, help="the commit to compare this checkout with")
    parser.add_argument("--database-url", required=True, help="a database bench.run has generated")
    parser.add_argument("--blocks", type=int, default=8, help="blocks per server")
    parser.add_argument("--per-block", type=int, default=50, help="submissions per block")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients submitting")
    args = parser.parse_args(argv)

    def log(message):
        print(message, flush=True)

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # measured as the figures in bench/README.md were: statements prepared (no transaction pooler)
    os.environ.setdefault("POSTGRES_PREPARED_STATEMENTS", "true")
    os.environ["CELERY_BROKER_URL"] = _broker_url()
    os.environ["CELERY_TASK_DEFAULT_QUEUE"] = QUEUE
    os.environ["EMAIL_URL"] = "dummymail://"
    import django

    django.setup()
    folder = Path(tempfile.mkdtemp(prefix="bidra-before-"))
    worktree = folder / "checkout"
    try:
        log(f"checking out {args.before} in {worktree}")
        _worktree(args.before, worktree)
        result = compare(
            before=worktree,
            database_url=args.database_url,
            blocks=args.blocks,
            per_block=args.per_block,
            clients=args.clients,
            log=log,
        )
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=ROOT, check=False)
        shutil.rmtree(folder, ignore_errors=True)
    result["before_commit"] = args.before
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

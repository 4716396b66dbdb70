"""What a grant application's steps cause in the apps built on grants, in the step's transaction.

An award round's application makes the organisation's candidate (``awards``); a granted
application owes a follow-up report (``reporting``).  Those apps sit above ``grants``, so grants
does not import them: each registers its handler here from its ``AppConfig.ready()``, and the
grant service that performs the step calls the handlers inside its own transaction, so the step
and what it causes commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Callable

#: program kind -> handler(application=..., by=...) run when an application of that kind is submitted
_on_submitted: dict[str, Callable[..., object]] = {}
#: handlers(application=..., by=...) run when a decision that grants money may be executed
_on_granted: list[Callable[..., object]] = []


def register_submitted(kind: str, handler: Callable[..., object]) -> None:
    _on_submitted[kind] = handler


def register_granted(handler: Callable[..., object]) -> None:
    if handler not in _on_granted:
        _on_granted.append(handler)


def submitted(*, application, by) -> None:
    """Run what submitting ``application`` causes (inside the submission's transaction)."""
    handler = _on_submitted.get(application.round.program.kind)
    if handler is not None:
        handler(application=application, by=by)


def granted(*, application, by) -> None:
    """Run what an executable grant decision on ``application`` causes (inside its transaction)."""
    for handler in _on_granted:
        handler(application=application, by=by)

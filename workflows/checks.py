"""Named yes/no questions about a case that can say why the answer is no.

Used as django-fsm conditions (called with the case) and as permissions
(called with the case and the user), so the page can say why a button is
missing and the service can say why a transition was refused.
"""

from collections.abc import Callable

from django.utils.functional import Promise


class Check:
    def __init__(self, func: Callable[..., bool], message: str | Promise):
        self.func = func
        self.message = message
        self.__name__ = func.__name__
        self.__doc__ = func.__doc__

    def __call__(self, *args) -> bool:
        return bool(self.func(*args))

    def __repr__(self):
        return f"<Check {self.__name__}>"


def check(message: str | Promise) -> Callable[[Callable[..., bool]], Check]:
    """Decorator: ``@check(_("The round is closed."))`` over a function returning a bool."""

    def wrap(func: Callable[..., bool]) -> Check:
        return Check(func, message)

    return wrap


def refusal(check_or_callable) -> str:
    return str(getattr(check_or_callable, "message", "")) or check_or_callable.__name__

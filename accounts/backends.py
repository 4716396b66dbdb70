"""Authentication backends: the lock-out after failed sign-ins."""

from axes.backends import AxesStandaloneBackend


def axes_username(request, credentials) -> str:
    """Count failures per e-mail address whatever its letter case."""
    username = (credentials or {}).get("username") or request.POST.get("username") or ""
    return username.strip().lower()


class LockoutBackend(AxesStandaloneBackend):
    """Refuses sign-in while the account is locked out at the client's address.

    Sign-in through a page always passes the request.  A call without one
    (a test's ``client.login``, a script) has no client address to lock out
    and is left to the next backend.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

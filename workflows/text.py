"""Text that people type: what can be saved at all.

- ``text_check``: a null character or half of a surrogate pair cannot be stored (PostgreSQL
  refuses both); such text is refused with a message instead of failing the request.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def _unstorable(char: str) -> bool:
    return char == "\x00" or "\ud800" <= char <= "\udfff"


def text_check(value: str, *, label: str = "") -> str:
    """``value`` unchanged, or ``ValidationError`` when it holds a character that cannot be saved."""
    if isinstance(value, str) and any(_unstorable(c) for c in value):
        message = _("The text contains a character that cannot be saved, such as a null character.")
        if label:
            message = _("%(label)s: %(problem)s") % {
                "label": label,
                "problem": message[:1].lower() + message[1:],
            }
        raise ValidationError(message, code="unstorable")
    return value

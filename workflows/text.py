"""Text that people type: what can be saved at all, and names as they are shown to others.

- ``text_check``: a null character or half of a surrogate pair cannot be stored (PostgreSQL
  refuses both); such text is refused with a message instead of failing the request.
- ``name_clean``: the one check of a name (an organisation's, a person's), for forms, the API
  and the models alike.  A name is normalised (Unicode NFKC: full-width letters, ligatures and
  other look-alike forms become the ordinary ones) and refused when it holds control or format
  characters (Unicode categories Cc and Cf): a right-to-left override, a zero-width space or a
  line break make a name read differently on a page, in a letter or in a list than it was
  entered, or look the same as another one.
"""

from __future__ import annotations

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from rest_framework import serializers


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


def name_clean(value: str) -> str:
    """The name normalised (NFKC, spaces at the ends removed), or ``ValidationError`` in the
    person's language when it holds an invisible or control character."""
    if value is None:
        return value
    name = unicodedata.normalize("NFKC", str(value)).strip()
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs") for c in name):
        raise ValidationError(
            _(
                "The name contains an invisible or control character (for example a line break, a "
                "zero-width space or a change of writing direction). Write it with ordinary letters."
            ),
            code="invisible_character",
        )
    return name


def validate_name(value: str) -> None:
    """``name_clean`` as a validator: for model fields, and through them for model forms and serializers."""
    name_clean(value)


class NameFormField(forms.CharField):
    """A form's name field: cleaned by ``name_clean``."""

    def to_python(self, value):
        value = super().to_python(value)
        return name_clean(value) if value else value


class NameSerializerField(serializers.CharField):
    """A name in the API: cleaned by ``name_clean``."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        try:
            return name_clean(value) if value else value
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc


class NameField(models.CharField):
    """A name kept in the database: refused by ``validate_name`` in model forms, the admin and
    model serializers, and stored normalised however it is saved."""

    default_validators = [validate_name]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": NameFormField, **kwargs})

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if isinstance(value, str):
            value = unicodedata.normalize("NFKC", value).strip()
            setattr(model_instance, self.attname, value)
        return value

"""Amounts of money, checked one way for the pages, the API and the services.

An amount is a finite number of kronor, not negative, with at most two decimals (whole kronor
where the amount is kept in whole kronor) and at most a ceiling: the program's largest amount
where it has one, and never more than ``AMOUNT_CEILING``, far above any grant a municipality
gives, so that a typing error of a few zeros is caught and no number overflows a column.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from rest_framework import serializers

from .templatetags.bidra import kr

#: 100 000 000 kr: no grant, proposal or decision in Bidra is larger
AMOUNT_CEILING = Decimal("100000000")

#: more characters than any amount has ("100 000 000,00 kr" has 17): longer text is not read
_LONGEST = 40


def amount_clean(value, *, ceiling: Decimal | None = None, decimals: int = 0) -> Decimal | None:
    """``value`` (a number, or text such as "15 000" or "2,50") as an amount; None when empty.

    Raises ``ValidationError`` in the person's language when it is not a finite number, is
    negative, has more decimals than ``decimals`` or is above ``ceiling`` (at most
    ``AMOUNT_CEILING`` whatever is given)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    ceiling = AMOUNT_CEILING if ceiling is None else min(Decimal(ceiling), AMOUNT_CEILING)
    example = _("Enter the amount in kronor, e.g. 15 000.")
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise ValidationError(example, code="invalid")
    text = "".join(str(value).split()).replace("\u00a0", "").replace("\u202f", "").replace(",", ".")
    if text.lower().endswith("kr"):
        text = text[:-2]
    try:
        if len(text) > _LONGEST:
            raise InvalidOperation
        amount = Decimal(text)
    except InvalidOperation as exc:
        raise ValidationError(example, code="invalid") from exc
    if not amount.is_finite():
        raise ValidationError(example, code="invalid")
    if amount < 0:
        raise ValidationError(_("The amount cannot be negative."), code="negative")
    if amount > ceiling:
        raise ValidationError(
            _("The amount can be at most %(ceiling)s.") % {"ceiling": kr(ceiling)}, code="too_large"
        )
    step = Decimal(1).scaleb(-decimals)
    if amount != amount.quantize(step):
        raise ValidationError(
            _("Give the amount in whole kronor.")
            if decimals == 0
            else _("Give the amount with at most two decimals (öre)."),
            code="decimals",
        )
    return amount.quantize(step)


def labelled(label: str, exc: ValidationError) -> list[str]:
    """The messages of ``exc`` said of ``label``, where no field shows them: "Proposed amount: the
    amount cannot be negative." """
    return [
        _("%(label)s: %(problem)s") % {"label": label, "problem": m[:1].lower() + m[1:]} for m in exc.messages
    ]


class AmountField(forms.DecimalField):
    """A form's amount, checked by ``amount_clean``: "15 000" and "2,50" are read as people write
    them (a text field: a number field refuses the space)."""

    widget = forms.TextInput

    def __init__(self, *, ceiling: Decimal | None = None, decimals: int = 0, **kwargs):
        self.ceiling, self.decimals = ceiling, decimals
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("decimal_places", decimals)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal" if decimals else "numeric")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return amount_clean(value, ceiling=self.ceiling, decimals=self.decimals)

    def validate(self, value):
        forms.Field.validate(self, value)  # that it is given when required; the rest was checked above


class AmountSerializerField(serializers.DecimalField):
    """An amount in the API, checked by ``amount_clean``; written as a string ("15000")."""

    def __init__(self, *, ceiling: Decimal | None = None, decimals: int = 0, **kwargs):
        self.ceiling = ceiling
        super().__init__(max_digits=12, decimal_places=decimals, **kwargs)

    def to_internal_value(self, data):
        try:
            return amount_clean(data, ceiling=self.ceiling, decimals=self.decimal_places)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc

    def validate_empty_values(self, data):
        if isinstance(data, str) and not data.strip():
            data = None
        return super().validate_empty_values(data)

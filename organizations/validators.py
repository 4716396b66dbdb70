"""Validation of Swedish identifiers: organisation numbers, bankgiro and plusgiro."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import luhn
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.se import orgnr


def org_number_compact(value: str) -> str:
    """Return the ten digits of a valid organisation number or raise ValidationError."""
    try:
        digits = orgnr.validate(value or "")
    except StdnumError as exc:
        raise ValidationError(
            _("%(value)s is not a valid organisation number. Write it as ten digits, e.g. 802012-3454."),
            code="invalid_org_number",
            params={"value": value},
        ) from exc
    if int(digits[2:4]) < 20:
        # An organisation number's third and fourth digits are at least 20; lower is a
        # personal identity number, and individuals are not organisations.
        raise ValidationError(
            _("%(value)s looks like a personal identity number, not an organisation number."),
            code="personal_number",
            params={"value": value},
        )
    return digits


def org_number_format(value: str) -> str:
    return orgnr.format(value) if value else ""


def _digits(value: str) -> str:
    return "".join(ch for ch in (value or "") if ch.isdigit())


def bankgiro_compact(value: str) -> str:
    digits = _digits(value)
    if (
        not (7 <= len(digits) <= 8)
        or not luhn.is_valid(digits)
        or any(ch not in "0123456789- " for ch in value)
    ):
        raise ValidationError(
            _("%(value)s is not a valid bankgiro number. It has seven or eight digits, e.g. 5050-1055."),
            code="invalid_bankgiro",
            params={"value": value},
        )
    return digits


def plusgiro_compact(value: str) -> str:
    digits = _digits(value)
    if (
        not (2 <= len(digits) <= 8)
        or not luhn.is_valid(digits)
        or any(ch not in "0123456789- " for ch in value)
    ):
        raise ValidationError(
            _("%(value)s is not a valid plusgiro number. It has two to eight digits, e.g. 4 12 34-6."),
            code="invalid_plusgiro",
            params={"value": value},
        )
    return digits


def bankgiro_format(digits: str) -> str:
    return f"{digits[:-4]}-{digits[-4:]}" if digits else ""


def plusgiro_format(digits: str) -> str:
    if not digits:
        return ""
    body, check = digits[:-1], digits[-1]
    pairs = []
    while body:
        pairs.insert(0, body[-2:])
        body = body[:-2]
    return f"{' '.join(pairs)}-{check}"

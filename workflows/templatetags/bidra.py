"""Formatting the Swedish public sector expects: 135 000 kr, 2026-06-15."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def kr(value) -> str:
    """135000 -> '135 000 kr' (with non-breaking spaces)."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    sign = "−" if amount < 0 else ""
    whole = f"{abs(amount).quantize(Decimal('1')):,}".replace(",", "\u00a0")
    return f"{sign}{whole}\u00a0kr"


@register.filter
def decimal(value, places=2) -> str:
    """2.00 (or "2.00") -> '2,00': a decimal with the Swedish comma, ``places`` decimals."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value)).quantize(Decimal(1).scaleb(-int(places)))
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    sign = "−" if number < 0 else ""
    whole, _dot, fraction = f"{abs(number):,f}".partition(".")
    whole = whole.replace(",", "\u00a0")
    return f"{sign}{whole},{fraction}" if fraction else f"{sign}{whole}"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None

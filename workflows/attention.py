"""What needs a person's attention: each app adds panels to the start page.

A panel is a function ``(request) -> dict | None``; the dict has ``template``
and the context it needs.  Panels keep their queries few and fixed.
"""

from collections.abc import Callable

_panels: list[tuple[int, Callable]] = []


def panel(order: int = 100):
    def register(func: Callable) -> Callable:
        _panels.append((order, func))
        _panels.sort(key=lambda item: item[0])
        return func

    return register


def panels_for(request) -> list[dict]:
    result = []
    for _order, func in _panels:
        item = func(request)
        if item:
            result.append(item)
    return result

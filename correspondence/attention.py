"""The start-page panel: the cases with messages the person has not read."""

from workflows.attention import panel

from .selectors import unread_cases, unread_total


@panel(order=5)
def unread_messages(request):
    rows = unread_cases(user=request.user)
    if not rows:
        return None
    return {"template": "correspondence/panels/unread.html", "rows": rows, "total": unread_total(rows)}

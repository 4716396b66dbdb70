"""Events of the meeting engine that case apps may act on (sent after the transaction commits).

``minutes_approved`` (sender ``Meeting``, ``meeting=``, ``by=``): both adjusters have approved
the minutes, so the meeting's decisions may now be executed (e.g. paid out).
"""

from django.dispatch import Signal

minutes_approved = Signal()

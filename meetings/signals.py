"""Events of the meeting engine that case apps may act on (sent after the transaction commits).

``minutes_approved`` (sender ``Meeting``, ``meeting=``, ``by=``): both adjusters have approved
the minutes, so the meeting's decisions may now be executed (e.g. paid out).

``minutes_posted`` (sender ``Meeting``, ``meeting=``, ``by=``): the approved minutes are posted
(anslag), so the appeal period runs and the letters of the decisions can state its last day.

``decision_annulled`` (sender ``Decision``, ``decision=``, ``by=``): a court annulled the decision on
appeal.  Sent *inside* the transaction that records it, so what a case app undoes (planned payments)
is logged with it or not at all.
"""

from django.dispatch import Signal

minutes_approved = Signal()
minutes_posted = Signal()
decision_annulled = Signal()

"""Named outcomes of a state transition, and the one rule that judges a move against its table.

Every aggregate's status has a table of allowed moves beside its enum (booking, payment, refund,
ticket, listing, departure, move offer). A move answers with an `Outcome` and callers act on it:
a payment that did not move writes no ledger entry.
"""

import enum
from collections.abc import Mapping


class Outcome(enum.StrEnum):
    #: the status changed now
    APPLIED = "applied"
    #: it was already there: a repeat (a webhook delivered twice, a double click)
    ALREADY = "already"
    #: the table does not allow that move from the current status
    REFUSED = "refused"


def judge(table: Mapping, current, to) -> Outcome:
    """What moving from `current` to `to` would be under `table` (a pure rule, no writes)."""
    if current == to:
        return Outcome.ALREADY
    if to in table.get(current, ()):
        return Outcome.APPLIED
    return Outcome.REFUSED

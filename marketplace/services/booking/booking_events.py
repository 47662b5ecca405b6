"""What a booking's people are told about, emitted into the outbox in the changing transaction.

Mail is rendered and sent by the worker (`marketplace.mailing`), never by a service.
"""

from ...models import Booking
from ..shared import outbox

#: what a booking's people are told about; mail is rendered by marketplace.mailing
EVENTS = (
    "received",
    "confirmed",
    "cancelled",
    "refunded",
    "move_offered",
    "move_accepted",
    "move_declined",
)
#: events that concern the tourist alone (a late payment given back: the host lost nothing)
TOURIST_ONLY_EVENTS = frozenset({"refunded"})
#: events only the hosts are told of (the tourist's refund mail follows their own choice)
HOST_ONLY_EVENTS = frozenset({"move_declined"})


def announce(booking: Booking, event: str) -> None:
    """Tell the tourist and the hosts, in the caller's transaction (delivered after its commit).

    Raises ValueError for an unknown event.
    """
    if event not in EVENTS:
        raise ValueError(f"unknown booking event {event!r}")
    outbox.emit("mail.booking_event", {"booking_id": booking.id, "event": event})

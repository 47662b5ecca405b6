"""Emails to tourists and hosts about their bookings."""


def booking_event(booking, event: str) -> None:
    """Tell the tourist and each host that `booking` was received, confirmed or cancelled."""

"""Link bookings made without an account to the account later made with the same email."""

from sqlalchemy import update

from ..extensions import db
from ..models import Booking, User


def attach_guest_bookings(user: User) -> int:
    """Give `user` the bookings made as a guest with their email; returns how many."""
    result = db.session.execute(
        update(Booking)
        .where(Booking.tourist_id.is_(None), Booking.contact_email == user.email)
        .values(tourist_id=user.id)
    )
    db.session.commit()
    return result.rowcount or 0

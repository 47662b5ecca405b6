"""Who may see a booking: its tourist, the hosts of its items, its community's staff, admins."""

from ..models import Booking, Role, User


def can_view(user: User | None, booking: Booking) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.role == Role.ADMIN:
        return True
    if booking.tourist_id == user.id:
        return True
    if any(item.host_id == user.id for item in booking.items):
        return True
    community_ids = {booking.community_id} | {item.listing.community_id for item in booking.items}
    return user.role == Role.COOP and bool(community_ids & user.community_ids)


def can_manage(user: User | None, booking: Booking) -> bool:
    """May act for the provider side (accept, mark paid, cancel as host): hosts of an item, staff."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.role == Role.ADMIN:
        return True
    if any(item.host_id == user.id for item in booking.items):
        return True
    return user.role == Role.COOP and booking.community_id in user.community_ids

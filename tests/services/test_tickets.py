"""Tickets: issued on confirmation, one per item, voided on cancellation."""

from datetime import date, timedelta

from marketplace.clock import business_today
from marketplace.models import ListingKind, TicketStatus
from marketplace.services.booking import booking_lifecycle, ticket_tokens, tickets
from marketplace.services.booking.ticket_tokens import TicketClaims
from marketplace.services.payments import cancellations
from tests.factories import make_departure, make_listing, make_ticketed_booking

CLAIMS = TicketClaims(
    ticket_id=4213, valid_from=date(2026, 12, 20), valid_until=date(2026, 12, 21), admits=3
)


def test_confirmation_issues_one_ticket_per_item_admitting_the_party(app):
    start = business_today() + timedelta(days=5)
    booking = make_ticketed_booking(check_in=start, nights=3, guests=3)
    departure = make_departure(make_listing(ListingKind.TOUR), day=start + timedelta(days=1))
    tour = make_ticketed_booking(departure=departure, guests=4)
    (stay_ticket,) = tickets.tickets_of(booking)
    (tour_ticket,) = tickets.tickets_of(tour)
    assert (stay_ticket.admits, stay_ticket.valid_from, stay_ticket.valid_until) == (
        3,
        start,
        start + timedelta(days=2),  # the last night, not the morning of departure
    )
    assert (tour_ticket.admits, tour_ticket.valid_from, tour_ticket.valid_until) == (
        4,
        start + timedelta(days=1),
        start + timedelta(days=1),
    )
    claims = ticket_tokens.verify_ticket(stay_ticket.secret, tickets.verifying_key())
    assert claims.ticket_id == stay_ticket.id and claims.admits == 3


def test_no_ticket_before_confirmation_and_void_after_cancellation():
    booking = make_ticketed_booking(confirm=False)
    assert tickets.tickets_of(booking) == []
    booking_lifecycle.confirm(booking)
    assert len(tickets.tickets_of(booking)) == 1
    cancellations.cancel(booking, reason="plans changed")
    assert tickets.tickets_of(booking)[0].status == TicketStatus.VOID

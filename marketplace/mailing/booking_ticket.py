"""What a tourist's confirmation carries besides its words: for each item the ticket link and its
QR code (an inline PNG, so it shows without a connection once the mail is on the phone), the
host's phone and the place; and the stay or tour as an .ics file for the phone's calendar.

Built by the mail worker in the tourist's language (the caller forces it).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import icalendar
from flask_babel import gettext as _

from ..clock import utcnow
from ..gateways import mail, qr
from ..i18n import localized
from ..models import Booking, BookingItem
from ..services.booking import booking_queries
from ..services.booking.messages import shows_host_phone


@dataclass
class ItemDetails:
    item: BookingItem
    title: str
    ticket_url: str | None
    qr_cid: str | None
    host_name: str
    host_phone: str | None
    #: village, district, province
    place: str
    #: the host's directions, or a tour's meeting point
    directions: str
    map_url: str | None


def _place(item: BookingItem, locale: str) -> str:
    community = item.listing.community
    parts = [localized(community.name, locale), community.district, community.province]
    return ", ".join(part for part in parts if part)


def _map_url(item: BookingItem) -> str | None:
    listing, community = item.listing, item.listing.community
    lat = listing.latitude if listing.latitude is not None else community.latitude
    lon = listing.longitude if listing.longitude is not None else community.longitude
    if lat is None or lon is None:
        return None
    return (
        f"https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map=16/{lat:.5f}/{lon:.5f}"
    )


def item_details(
    booking: Booking, locale: str, ticket_url: Callable[[str], str]
) -> tuple[list[ItemDetails], list[mail.Inline]]:
    """Per item what the tourist needs on the day, and the QR images the HTML part shows.

    `ticket_url(secret)` makes the absolute link of a ticket page.
    """
    details, images = [], []
    phone_shown = shows_host_phone(booking)
    for item in booking.items:
        ticket = item.ticket
        live = ticket is not None and ticket.status.value != "void"
        cid = mail.new_content_id() if live else None
        if live:
            images.append(
                mail.Inline(cid, qr.render_png(ticket.secret), filename=f"ticket-{item.id}.png")
            )
        text, _fallback = item.listing.text_for(locale)
        host = item.listing.host
        details.append(
            ItemDetails(
                item=item,
                title=booking_queries.item_title(item, locale),
                ticket_url=ticket_url(ticket.secret) if live else None,
                qr_cid=cid,
                host_name=host.name,
                host_phone=host.phone if phone_shown else None,
                place=_place(item, locale),
                directions=(text.meeting_point or text.directions) if text else "",
                map_url=_map_url(item),
            )
        )
    return details, images


def _starts(item: BookingItem) -> datetime:
    moment = item.departure.starts_at
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def calendar_file(booking: Booking, details: list[ItemDetails], link: str) -> mail.Attachment:
    """The booking as iCalendar events: a stay from its check-in day to its check-out day (all
    day, the end exclusive as calendars read it), a tour at its departure time."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Lang Son and Bac Kan homestays//booking//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    stamp = utcnow()
    for detail in details:
        item = detail.item
        event = icalendar.Event()
        event.add("uid", f"{booking.reference}-{item.id}@homestays.local")
        event.add("dtstamp", stamp)
        event.add("summary", detail.title)
        if item.is_stay:
            event.add("dtstart", item.check_in)
            event.add("dtend", item.check_out)
        else:
            starts = _starts(item)
            event.add("dtstart", starts)
            minutes = item.listing.duration_minutes
            event.add("dtend", starts + timedelta(minutes=minutes or 60))
        event.add("location", ", ".join(p for p in (detail.directions, detail.place) if p))
        lines = [_("Reference") + f": {booking.reference}"]
        if detail.host_phone:
            lines.append(_("Your host") + f": {detail.host_name}, {detail.host_phone}")
        if detail.ticket_url:
            lines.append(_("Ticket") + f": {detail.ticket_url}")
        lines.append(_("See the booking") + f": {link}")
        event.add("description", "\n".join(lines))
        event.add("url", detail.ticket_url or link)
        calendar.add_component(event)
    return mail.Attachment(
        filename=f"{booking.reference}.ics",
        data=calendar.to_ical(),
        maintype="text",
        subtype="calendar",
        params={"method": "PUBLISH", "charset": "utf-8"},
    )

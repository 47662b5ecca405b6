"""Offline scans coming home, and what a phone must be told afterwards.

A phone that scanned with no signal sends its queue (`sync`); each scan is judged by
`checkin.perform_checkin` under the booking's lock, earliest first. The server keeps every scan
(Scan, with the device that made it), so whichever phone syncs first still learns, on its next
sync, that another phone scanned the same ticket: the answer carries `news` about the tickets
this device scanned, those of this request and those reported since the device's cursor.

News kinds:
- `also_scanned`: another phone (or a scan with no device) scanned a ticket this device scanned;
- `cancelled`: this device admitted the ticket offline, but the booking had been cancelled
  before the scan reached us.
A phone may see the same news twice (the cursor overlaps on purpose, because rows of concurrent
transactions commit out of order); each item has a stable `id` to drop repeats.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...clock import utcnow
from ...extensions import db
from ...models import BookingItem, Scan, Ticket, User
from .checkin import ALREADY, CANCELED, NO_SHOW, OK, CheckinResult, sync_scans

#: how far back a device's scans still bring news
NEWS_HORIZON = timedelta(days=2)
#: read a little before the cursor: a scan committed late with an earlier time is not missed
CURSOR_OVERLAP = timedelta(minutes=5)
#: a scan by another device that means "this ticket was presented there too"
ADMITTING = (OK, ALREADY)


@dataclass
class SyncAnswer:
    results: list[CheckinResult]
    news: list[dict]
    #: what the device sends back as `since` next time
    cursor: datetime


def sync(
    scans: list[dict],
    scanner: User,
    *,
    device_id: str = "",
    since: datetime | None = None,
    now: datetime | None = None,
) -> SyncAnswer:
    """Record the scans (see `checkin.sync_scans`, one commit each) and gather the news for
    `device_id`: about this request's scans, and about earlier ones since `since`.

    An empty list of scans is a plain request for news. Never raises for a bad code.
    """
    now = now or utcnow()
    results = sync_scans(scans, scanner, now=now) if scans else []
    news = _cancelled_news(scans, results)
    uploaded = {r.ticket.id for r in results if r.ticket is not None}
    device_id = (device_id or "")[:64]
    if device_id:
        news += also_scanned(scanner, device_id, uploaded, since, now)
    return SyncAnswer(results=results, news=news, cursor=now)


def _cancelled_news(scans: list[dict], results: list[CheckinResult]) -> list[dict]:
    news = []
    for scan, result in zip(scans, results, strict=True):
        if result.result not in (CANCELED, NO_SHOW) or result.booking is None:
            continue
        stamp = scan["scanned_at"].isoformat()
        kind = "cancelled" if result.result == CANCELED else "no_show"
        news.append(
            {
                "id": f"{kind}-{result.ticket.id}-{stamp}",
                "kind": kind,
                "ticket_id": result.ticket.id,
                "reference": result.booking.reference,
                "contact_name": result.booking.contact_name,
                "scanned_at": stamp,
                "cancelled_at": _iso(result.booking.cancelled_at),
            }
        )
    return news


def also_scanned(
    scanner: User, device_id: str, uploaded: set[int], since: datetime | None, now: datetime
) -> list[dict]:
    """Scans by other devices of tickets this device (and this user) scanned lately: all of
    them for the tickets in `uploaded`, those recorded from `since` on for the others."""
    mine = select(Scan.ticket_id).where(
        Scan.device_id == device_id,
        Scan.by_user_id == scanner.id,
        Scan.ticket_id.is_not(None),
        Scan.scanned_at >= now - NEWS_HORIZON,
    )
    query = (
        select(Scan)
        .where(
            Scan.ticket_id.in_(mine),
            Scan.device_id != device_id,
            Scan.result.in_(ADMITTING),
        )
        .order_by(Scan.scanned_at, Scan.id)
    )
    if since is not None:
        fresh = Scan.recorded_at >= since - CURSOR_OVERLAP
        query = query.where(fresh | Scan.ticket_id.in_(uploaded) if uploaded else fresh)
    elif not uploaded:
        return []
    else:
        query = query.where(Scan.ticket_id.in_(uploaded))
    others = db.session.scalars(query).all()
    if not others:
        return []
    tickets = {
        t.id: t
        for t in db.session.scalars(
            select(Ticket)
            .where(Ticket.id.in_({s.ticket_id for s in others}))
            .options(joinedload(Ticket.item).joinedload(BookingItem.booking))
        )
    }
    names = dict(
        db.session.execute(
            select(User.id, User.name).where(User.id.in_({s.by_user_id for s in others}))
        ).all()
    )
    news = []
    for other in others:
        booking = tickets[other.ticket_id].item.booking
        news.append(
            {
                "id": f"scan-{other.id}",
                "kind": "also_scanned",
                "ticket_id": other.ticket_id,
                "reference": booking.reference,
                "contact_name": booking.contact_name,
                "scanned_at": other.scanned_at.isoformat(),
                "by": names.get(other.by_user_id),
                "offline": other.offline,
            }
        )
    return news


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


__all__ = ["SyncAnswer", "also_scanned", "sync"]

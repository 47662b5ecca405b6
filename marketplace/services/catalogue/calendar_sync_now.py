"""A host's "sync now": the listing's imported calendars fetched at once, rate-limited per feed.

The hourly job fetches every feed anyway; this is for the host who just took a booking elsewhere.
A remote site must not be hammered by a host (or a script) clicking again and again, so each feed
rests SYNC_NOW_INTERVAL seconds (ICAL_SYNC_NOW_SECONDS) after any fetch, hourly ones included.
"""

from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from ...clock import utcnow
from ...extensions import db
from ...models import ExternalCalendar, RoomType, User
from ..shared import audit
from ..shared.errors import ServiceError
from . import calendars
from .calendars import SyncResult

#: seconds a feed rests after a fetch before a host may ask for another one
SYNC_NOW_INTERVAL = 300


def sync_now(listing, actor: User, now: datetime | None = None) -> list[SyncResult]:
    """The listing's imported calendars, fetched now at the host's request; commits.

    Each feed is claimed by a conditional update, so two clicks (or a click during the hourly
    run) never fetch the same remote calendar twice within SYNC_NOW_INTERVAL. Raises too_soon
    when every feed was fetched within it, no_calendars when the listing imports none.
    """
    now = now or utcnow()
    interval = current_app.config.get("ICAL_SYNC_NOW_SECONDS", SYNC_NOW_INTERVAL)
    since = now - timedelta(seconds=interval)
    ids = externals_ids(listing)
    if not ids:
        raise ServiceError(_("This stay imports no other calendar yet."), "no_calendars")
    claimed = []
    for calendar_id in ids:
        result = db.session.execute(
            update(ExternalCalendar)
            .where(
                ExternalCalendar.id == calendar_id,
                (ExternalCalendar.last_attempt_at.is_(None))
                | (ExternalCalendar.last_attempt_at <= since),
            )
            .values(last_attempt_at=now)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount:
            claimed.append(calendar_id)
    db.session.commit()
    if not claimed:
        latest = db.session.scalar(
            select(func.max(ExternalCalendar.last_attempt_at)).where(ExternalCalendar.id.in_(ids))
        )
        wait = max(1, -(-(interval - int((now - _aware(latest)).total_seconds())) // 60))
        raise ServiceError(
            _(
                "The calendars were fetched a moment ago. Try again in %(n)d minutes.",
                n=wait,
            ),
            "too_soon",
        )
    audit.record(listing, "calendar_sync_now", actor=actor, data={"calendars": claimed})
    db.session.commit()
    db.session.expire_all()
    return [calendars.sync_calendar(db.session.get(ExternalCalendar, i), now=now) for i in claimed]


def _aware(moment: datetime | None) -> datetime:
    if moment is None:
        return datetime.min.replace(tzinfo=UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def externals_ids(listing) -> list[int]:
    return list(
        db.session.scalars(
            select(ExternalCalendar.id)
            .join(RoomType, RoomType.id == ExternalCalendar.room_type_id)
            .where(RoomType.listing_id == listing.id)
            .order_by(ExternalCalendar.id)
        )
    )

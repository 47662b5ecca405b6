"""Time in one place: UTC for storage, Asia/Ho_Chi_Minh for the business day."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

BUSINESS_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def utcnow() -> datetime:
    return datetime.now(UTC)


def business_today(now: datetime | None = None) -> date:
    """The calendar day in Vietnam at `now` (default: the clock)."""
    return (now or utcnow()).astimezone(BUSINESS_TZ).date()


def to_business_time(moment: datetime) -> datetime:
    return moment.astimezone(BUSINESS_TZ)

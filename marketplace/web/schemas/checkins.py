"""Check-in: one scan, the day's manifest, offline scans, taking a check-in back."""

import datetime as dt
from typing import Annotated, Literal

from pydantic import AwareDatetime, BeforeValidator, Field

from ...services.checkin.checkin import MAX_SYNC_SCANS, RESULTS
from .common import Blank, Id, Input, Output

Result = Literal[RESULTS]
DateTime = Field(json_schema_extra={"format": "date-time"})
#: a QR text is a signed token of a few hundred characters
MAX_SECRET = 512


def _device(value):
    # a phone's name for itself: whatever it sends, kept short
    return None if value in (None, "") else str(value)[:64]


DeviceId = Annotated[str | None, BeforeValidator(_device)]


class CheckinRequest(Input):
    secret: str | None = Field(
        None,
        max_length=MAX_SECRET,
        description="QR text, or a booking reference typed by hand (required)",
    )
    reference: str | None = Field(
        None, max_length=MAX_SECRET, description="Older clients: the same as `secret`"
    )
    listing_id: Annotated[Id | None, Blank] = Field(
        None, description="The listing the scanner stands at"
    )
    device_id: DeviceId = Field(None, description="Kept to its first 64 characters")


class ManifestQuery(Input):
    listing_id: Annotated[Id | None, Blank] = None
    date: Annotated[dt.date | None, Blank] = Field(None, description="Default: today (UTC+7)")


class Scan(Input):
    secret: str = Field(min_length=1, max_length=MAX_SECRET)
    scanned_at: AwareDatetime = Field(description="ISO 8601 with offset")
    device_id: DeviceId = None
    listing_id: Annotated[Id | None, Blank] = None


class SyncRequest(Input):
    scans: list[Scan] = Field(max_length=MAX_SYNC_SCANS)
    device_id: DeviceId = Field(None, description="This phone: news about its scans come back")
    since: Annotated[AwareDatetime | None, Blank] = Field(
        None, description="The `cursor` of the last answer"
    )


class UndoRequest(Input):
    ticket_id: Id
    reason: str | None = Field(None, max_length=2000)


class ScannedBooking(Output):
    reference: str
    contact_name: str
    admits: int
    amount_due: int | None = None


class CheckinResult(Output):
    result: Result
    message: str | None = None
    booking: ScannedBooking | None
    ticket_id: int | None = None
    checked_in_at: str | None = DateTime
    first_checked_in_at: str | None = DateTime
    checked_in_by: str | None = None
    conflict: bool | None = None
    duplicate: bool | None = None


class ReferenceRule(Output):
    """The booking reference format, for reading a typed reference offline."""

    pattern: str | None = None
    prefix_length: int | None = None
    length: int | None = None
    max_length: int | None = None


class ManifestTicket(Output):
    id: int
    booking_reference: str
    contact_name: str
    admits: int
    status: str
    checked_in_at: str | None = DateTime


class Manifest(Output):
    date: str = Field(json_schema_extra={"format": "date"})
    listing_id: int | None
    public_key: str = Field(description="Verifies the tickets' signatures offline")
    reference: ReferenceRule | None = None
    tickets: list[ManifestTicket]


class News(Output):
    id: str = Field(description="Stable: the same news may come twice")
    kind: Literal["also_scanned", "cancelled", "no_show"]
    ticket_id: int
    reference: str
    contact_name: str | None = None
    scanned_at: str | None = Field(None, json_schema_extra={"format": "date-time"})
    by: str | None = None


class SyncResults(Output):
    results: list[CheckinResult] = Field(description="One per scan, in order")
    news: list[News]
    cursor: str = DateTime


class Undone(Output):
    outcome: Literal["applied", "already"] = Field(
        description="applied, or already (was not checked in)"
    )
    ticket_id: int

"""A listing's status: the host submits, the cooperative approves, rejects, suspends, republishes.

Every change of `Listing.status` goes through `move_listing`, judged by LISTING_TRANSITIONS
(models/listing.py): it answers with an Outcome and writes an audit row when the status moved.
A repeat (a double click on "Approve") is ALREADY and changes nothing; a move the table does not
allow is REFUSED, and the actions below turn it into a Conflict with its own message.
"""

from datetime import datetime

from flask_babel import gettext as _

from ...clock import utcnow
from ...database import begin_write, is_sqlite
from ...extensions import db
from ...models import Listing, ListingKind, ListingStatus, User
from ...models.listing import LISTING_TRANSITIONS
from ...models.states import Outcome, judge
from ..shared import audit, outbox
from ..shared.errors import Conflict, Forbidden, ServiceError

#: the host hears of each decision on their listing, with the cooperative's reason
MAIL_TOPIC = "mail.listing_review"
MAILED_ACTIONS = frozenset({"approved", "rejected", "suspended"})


def move_listing(
    listing: Listing,
    to: ListingStatus,
    *,
    actor: User | None,
    action: str,
    note: str = "",
    now: datetime | None = None,
) -> Outcome:
    """Move `listing` to `to` in the caller's transaction; APPLIED writes the audit row (and the
    reviewer's note, and `published_at` the first time it goes live).

    The listing's row is locked and re-read first: two reviewers deciding at once (approve and
    reject, or approve twice) end with one decision and one mail to the host.
    """
    begin_write()
    db.session.flush()
    db.session.refresh(listing, with_for_update=not is_sqlite())
    current = listing.status
    outcome = judge(LISTING_TRANSITIONS, current, to)
    if outcome != Outcome.APPLIED:
        return outcome
    listing.status = to
    if note or action in ("approved", "rejected"):
        listing.review_note = (note or "").strip()[:2000]
    if to == ListingStatus.PUBLISHED and listing.published_at is None:
        listing.published_at = now or utcnow()
    audit.record(listing, action, actor=actor, from_state=current, to_state=to, note=note)
    if action in MAILED_ACTIONS:
        payload = {"listing_id": listing.id, "event": action, "note": (note or "").strip()[:2000]}
        outbox.emit(MAIL_TOPIC, payload)
    return outcome


def _check_reviewer(listing: Listing, actor: User) -> None:
    if not actor.manages(listing.community_id):
        raise Forbidden(_("You are not allowed to do this."), "forbidden")


def _not_pending() -> Conflict:
    return Conflict(_("This listing is not waiting for approval."), "not_pending")


def submit(listing: Listing, actor: User) -> Outcome:
    """Ask the cooperative to review a draft; commits. A repeat changes nothing.

    Raises Conflict not_submittable, ServiceError incomplete.
    """
    if listing.status == ListingStatus.DRAFT:
        if listing.kind == ListingKind.STAY and not listing.room_types:
            raise ServiceError(_("Add at least one room type first."), "incomplete", "room_types")
    outcome = move_listing(listing, ListingStatus.PENDING, actor=actor, action="submitted")
    if outcome == Outcome.REFUSED:
        raise Conflict(_("Only a draft can be sent for approval."), "not_submittable")
    db.session.commit()
    return outcome


def approve(listing: Listing, actor: User, note: str = "") -> Outcome:
    """Publish a listing waiting for approval, or put a suspended one back on sale; commits.

    Raises Forbidden, Conflict not_pending (a draft).
    """
    _check_reviewer(listing, actor)
    outcome = move_listing(
        listing, ListingStatus.PUBLISHED, actor=actor, action="approved", note=note
    )
    if outcome == Outcome.REFUSED:
        db.session.rollback()
        raise _not_pending()
    db.session.commit()
    outbox.kick()  # the host's mail leaves now, not at the next sweep
    return outcome


def reject(listing: Listing, actor: User, note: str) -> Outcome:
    """Send it back to the host as a draft with a note; commits.

    Raises Forbidden, ServiceError note_required, Conflict not_pending.
    """
    _check_reviewer(listing, actor)
    if not (note or "").strip():
        raise ServiceError(_("Tell the host what to change."), "note_required", "note")
    outcome = move_listing(listing, ListingStatus.DRAFT, actor=actor, action="rejected", note=note)
    if outcome == Outcome.REFUSED:
        db.session.rollback()
        raise _not_pending()
    db.session.commit()
    outbox.kick()  # the host's mail leaves now, not at the next sweep
    return outcome


def suspend(listing: Listing, actor: User, note: str = "") -> Outcome:
    """Take a listing off sale (its bookings stand); commits. Raises Forbidden, ServiceError
    note_required (the host is told why), Conflict not_suspendable (a draft: suspending it and
    publishing again would skip the review)."""
    _check_reviewer(listing, actor)
    if not (note or "").strip():
        raise ServiceError(_("Say why the listing is suspended."), "note_required", "note")
    outcome = move_listing(
        listing, ListingStatus.SUSPENDED, actor=actor, action="suspended", note=note
    )
    if outcome == Outcome.REFUSED:
        db.session.rollback()
        raise Conflict(_("Only a listing on sale or waiting can be suspended."), "not_suspendable")
    db.session.commit()
    outbox.kick()  # the host's mail leaves now, not at the next sweep
    return outcome

"""Messages between travellers and hosts: one thread per booking, or a question about a listing.

Who may read and write a thread is decided by `side_of` alone, for the pages and the API:
- a booking's thread: its traveller (the tourist account, or a guest holding the booking's
  link), the hosts of its items and the guides of its departures;
- a question about a listing: the signed-in user who asked and the listing's host;
- the cooperative of the listing's community (and admins) only once either side reported the
  thread; each time they open it an audit row says so.
Anyone else is answered 404 by the callers.

Every new message mails each other participant once, in their language, through the outbox
(`mail.message`, delivered by `mailing.message_mail`).
"""

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ...clock import utcnow
from ...database import begin_write
from ...extensions import db
from ...models import (
    MESSAGE_MAX_LENGTH,
    Booking,
    BookingStatus,
    Conversation,
    ConversationParty,
    Listing,
    ListingStatus,
    Message,
    User,
)
from ..shared import audit, outbox
from ..shared.errors import ServiceError
from .booking_access import signed_in

MAIL_TOPIC = "mail.message"

TRAVELLER, HOST, GUIDE, STAFF = "traveller", "host", "guide", "staff"

#: statuses in which the traveller sees the hosts' phone numbers
PHONE_STATUSES = frozenset(
    {BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN, BookingStatus.COMPLETED}
)


def shows_host_phone(booking: Booking) -> bool:
    """The host's phone is the traveller's once the booking is confirmed, not before."""
    return booking.status in PHONE_STATUSES


# -- who is in a thread -----------------------------------------------------------------------


def _booking_parties(booking: Booking) -> tuple[set[int], set[int]]:
    hosts = {item.host_id for item in booking.items}
    guides = {
        item.departure.guide_id
        for item in booking.items
        if item.departure is not None and item.departure.guide_id is not None
    }
    return hosts, guides - hosts


def side_of(
    user: User | None, conversation: Conversation, *, holds_link: bool = False
) -> str | None:
    """The reader's place in the thread: traveller, host, guide, staff (a reported thread, the
    cooperative of its community or an admin), or None: not theirs (callers answer 404).

    `holds_link`: the visitor holds the booking's signed link (a guest without an account)."""
    booking = conversation.booking
    if booking is not None:
        if signed_in(user) and booking.tourist_id == user.id:
            return TRAVELLER
        hosts, guides = _booking_parties(booking)
        if signed_in(user) and user.id in hosts:
            return HOST
        if signed_in(user) and user.id in guides:
            return GUIDE
        if holds_link and booking.tourist_id is None:
            return TRAVELLER
    elif signed_in(user):
        if conversation.traveller_id == user.id:
            return TRAVELLER
        if conversation.listing.host_id == user.id:
            return HOST
    if (
        signed_in(user)
        and conversation.reported_at is not None
        and user.manages(conversation.community_id)
    ):
        return STAFF
    return None


def participant_ids(conversation: Conversation) -> set[int]:
    """The signed-in participants (accounts) of a thread."""
    if conversation.booking is not None:
        hosts, guides = _booking_parties(conversation.booking)
        ids = hosts | guides
        if conversation.booking.tourist_id is not None:
            ids.add(conversation.booking.tourist_id)
        return ids
    return {conversation.traveller_id, conversation.listing.host_id}


# -- finding and opening threads ---------------------------------------------------------------


def booking_conversation(booking: Booking) -> Conversation:
    """The booking's thread; an unsaved one when nobody has written yet (saved by the first
    message), so reading a thread never writes."""
    found = db.session.scalar(
        select(Conversation).where(Conversation.subject_key == f"booking:{booking.id}")
    )
    if found is not None:
        return found
    listing = booking.items[0].listing
    return Conversation(
        subject_key=f"booking:{booking.id}",
        booking=booking,
        listing=listing,
        community_id=listing.community_id,
    )


def inquiry_conversation(listing: Listing, user: User) -> Conversation:
    """`user`'s question thread about `listing` (unsaved until the first message).

    Raises ServiceError `own_listing` when the user is its host, NotFound when it is not public."""
    if listing.status != ListingStatus.PUBLISHED:
        raise ServiceError(_("This listing is not available."), "not_found", status=404)
    if listing.host_id == user.id:
        raise ServiceError(_("This is your own listing."), "own_listing", status=409)
    key = f"ask:{listing.id}:{user.id}"
    found = db.session.scalar(select(Conversation).where(Conversation.subject_key == key))
    if found is not None:
        return found
    return Conversation(
        subject_key=key,
        listing=listing,
        community_id=listing.community_id,
        traveller=user,
        traveller_id=user.id,
    )


def get_conversation(conversation_id: int) -> Conversation | None:
    return db.session.get(Conversation, conversation_id)


def open_conversation(conversation: Conversation, user: User | None, side: str) -> list[Message]:
    """The thread's messages for a reader already admitted by `side_of`; marks them read for a
    participant, and records an audit row when the cooperative reads a reported thread."""
    if conversation.id is None:
        return []
    messages = list(conversation.messages)
    if side == STAFF:
        audit.record(conversation, "read_reported", actor=user)
        db.session.commit()
    elif signed_in(user) and messages:
        _mark_read(conversation, user.id, messages[-1].id)
        db.session.commit()
    return messages


def _mark_read(conversation: Conversation, user_id: int, message_id: int) -> None:
    party = db.session.get(ConversationParty, (conversation.id, user_id))
    if party is None:
        db.session.add(
            ConversationParty(
                conversation_id=conversation.id, user_id=user_id, last_read_message_id=message_id
            )
        )
    elif (party.last_read_message_id or 0) < message_id:
        party.last_read_message_id = message_id


# -- writing --------------------------------------------------------------------------------


def clean_body(body) -> str:
    """The message text, stripped. Raises ServiceError (field `body`) when empty, not text or
    longer than MESSAGE_MAX_LENGTH."""
    if not isinstance(body, str):
        raise ServiceError(_("The message must be text."), "invalid", "body")
    body = body.replace("\r\n", "\n").strip()
    if not body:
        raise ServiceError(_("Write a message first."), "required", "body")
    if len(body) > MESSAGE_MAX_LENGTH:
        raise ServiceError(
            _("At most %(num)d characters.", num=MESSAGE_MAX_LENGTH), "too_long", "body"
        )
    return body


def _saved(conversation: Conversation) -> Conversation:
    """The thread in the database: inserted now, or the one a concurrent first message made."""
    if conversation.id is not None:
        return conversation
    key = conversation.subject_key
    existing = db.session.scalar(select(Conversation).where(Conversation.subject_key == key))
    if existing is not None:
        return existing
    db.session.add(conversation)
    try:
        db.session.flush()
    except IntegrityError:  # PostgreSQL: another request saved the same thread meanwhile
        db.session.rollback()
        begin_write()
        return db.session.scalars(select(Conversation).where(Conversation.subject_key == key)).one()
    return conversation


def post_message(
    conversation: Conversation,
    sender: User | None,
    side: str,
    body,
    *,
    now: datetime | None = None,
) -> Message:
    """Add a message from a participant (`side` from `side_of`; the cooperative only reads) and
    mail everyone else in the thread through the outbox. Commits.

    Raises ServiceError `invalid`/`required`/`too_long` (field `body`), 403 `read_only` for staff."""
    if side not in (TRAVELLER, HOST, GUIDE):
        raise ServiceError(
            _("The cooperative reads reported threads only."), "read_only", status=403
        )
    text = clean_body(body)
    now = now or utcnow()
    begin_write()
    conversation = _saved(conversation)
    if signed_in(sender):
        name = sender.name
    elif conversation.booking is not None:
        name = conversation.booking.contact_name
    else:
        name = ""
    message = Message(
        conversation_id=conversation.id,
        sender_id=sender.id if signed_in(sender) else None,
        side=side,
        sender_name=(name or "")[:120],
        body=text,
        created_at=now,
    )
    db.session.add(message)
    conversation.last_message_at = now
    db.session.flush()
    for user_id in participant_ids(conversation):
        if db.session.get(ConversationParty, (conversation.id, user_id)) is None:
            db.session.add(ConversationParty(conversation_id=conversation.id, user_id=user_id))
    if signed_in(sender):
        _mark_read(conversation, sender.id, message.id)
    outbox.emit(MAIL_TOPIC, {"message_id": message.id}, key=f"message:{message.id}")
    db.session.commit()
    outbox.kick()
    return message


def report_conversation(
    conversation: Conversation, user: User | None, side: str, reason: str = ""
) -> bool:
    """Either side reports the thread: the cooperative of its community may read it from now on.
    Audited. Returns False when it was reported already. Raises ServiceError for staff."""
    if side not in (TRAVELLER, HOST, GUIDE) or conversation.id is None:
        raise ServiceError(
            _("Only the people in this conversation can report it."), "forbidden", status=403
        )
    if not isinstance(reason, str):
        reason = ""
    if conversation.reported_at is not None:
        return False
    conversation.reported_at = utcnow()
    conversation.reported_by_id = user.id if signed_in(user) else None
    conversation.report_reason = reason.strip()[:MESSAGE_MAX_LENGTH]
    audit.record(conversation, "reported", actor=user, note=conversation.report_reason)
    db.session.commit()
    return True


# -- reading lists ----------------------------------------------------------------------------


def unread_count(user: User) -> int:
    """Messages from others in the user's threads that they have not seen yet.

    Read while a page renders, maybe beside a form's unsaved objects: it never flushes them.
    """
    with db.session.no_autoflush:
        return _unread_count(user)


def _unread_count(user: User) -> int:
    return (
        db.session.scalar(
            select(func.count(Message.id))
            .join(ConversationParty, ConversationParty.conversation_id == Message.conversation_id)
            .where(
                ConversationParty.user_id == user.id,
                Message.id > func.coalesce(ConversationParty.last_read_message_id, 0),
                (Message.sender_id != user.id) | Message.sender_id.is_(None),
            )
        )
        or 0
    )


def conversations_of(user: User) -> list[tuple[Conversation, int]]:
    """The user's threads with messages, newest first, each with its unread count."""
    unread = (
        select(func.count(Message.id))
        .where(
            Message.conversation_id == ConversationParty.conversation_id,
            Message.id > func.coalesce(ConversationParty.last_read_message_id, 0),
            (Message.sender_id != user.id) | Message.sender_id.is_(None),
        )
        .correlate(ConversationParty)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Conversation, unread)
        .join(ConversationParty, ConversationParty.conversation_id == Conversation.id)
        .where(ConversationParty.user_id == user.id, Conversation.last_message_at.is_not(None))
        .order_by(Conversation.last_message_at.desc())
    ).all()
    return [(conversation, count or 0) for conversation, count in rows]


def reported_conversations(user: User) -> list[Conversation]:
    """Reported threads the user's cooperative (or an admin) may read, newest report first."""
    query = select(Conversation).where(Conversation.reported_at.is_not(None))
    if user.role.value != "admin":
        query = query.where(Conversation.community_id.in_(user.community_ids or {0}))
    return list(db.session.scalars(query.order_by(Conversation.reported_at.desc())))


def recipients(message: Message) -> list[dict]:
    """Who is mailed about `message`: every participant but its sender, as
    {"part", "email", "locale", "name", "user"} (user None: the booking's guest)."""
    conversation = message.conversation
    people = []
    for user_id in sorted(participant_ids(conversation)):
        if user_id == message.sender_id:
            continue
        user = db.session.get(User, user_id)
        if user is not None and user.email and user.active:
            people.append(
                {
                    "part": f"user:{user.id}",
                    "email": user.email,
                    "locale": user.locale,
                    "name": user.name,
                    "user": user,
                }
            )
    booking = conversation.booking
    if booking is not None and booking.tourist_id is None and message.side != TRAVELLER:
        people.append(
            {
                "part": "guest",
                "email": booking.contact_email,
                "locale": booking.locale,
                "name": booking.contact_name,
                "user": None,
            }
        )
    return people

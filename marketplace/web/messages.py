"""Messages: a booking's thread, "Ask the host" before booking, the inbox, reporting a thread.

Every view admits the reader through `services.messages.side_of` and answers 404 to anyone else.
"""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db, limiter
from ..models import MESSAGE_MAX_LENGTH, Booking, Conversation, Listing
from ..services.booking import messages
from ..services.shared.errors import ServiceError
from ..services.shared.references import normalize_reference
from .booking_access import holds_link, remember_guest_booking
from .security import bearer_user

bp = Blueprint("messages", __name__, url_prefix="/messages")


def message_limit() -> str:
    return current_app.config.get("MESSAGE_LIMIT_USER") or "20 per hour"


def sender_key() -> str:
    """Messages are limited per sender: the account (site or API token), else the address."""
    if current_user.is_authenticated:
        return f"messages:user:{current_user.id}"
    user = bearer_user() if request.path.startswith("/api/") else None
    if user is not None:
        return f"messages:user:{user.id}"
    return f"messages:addr:{get_remote_address()}"


#: one budget for the site and the API
limit_messages = limiter.shared_limit(
    message_limit, scope="messages", key_func=sender_key, methods=["POST"]
)


@bp.app_context_processor
def _unread():
    def unread_messages() -> int:
        if not current_user.is_authenticated:
            return 0
        try:
            return messages.unread_count(current_user)
        except SQLAlchemyError:  # an error page while the database is away shows no count
            db.session.rollback()
            return 0

    def may_message(booking: Booking) -> bool:
        conversation = messages.booking_conversation(booking)
        side = messages.side_of(current_user, conversation, holds_link=holds_link(booking))
        return side in (messages.TRAVELLER, messages.HOST, messages.GUIDE)

    return {
        "unread_messages": unread_messages,
        "may_message": may_message,
        "host_phone_shown": messages.shows_host_phone,
    }


def _booking(reference: str) -> Booking:
    booking = db.session.scalar(
        select(Booking).where(Booking.reference == normalize_reference(reference))
    )
    if booking is None:
        abort(404)
    return booking


def _admitted(conversation: Conversation) -> str:
    """The reader's side, or 404 (no hint that the thread exists)."""
    booking = conversation.booking
    link = holds_link(booking) if booking is not None else False
    side = messages.side_of(current_user, conversation, holds_link=link)
    if side is None:
        abort(404)
    if link and booking is not None:
        remember_guest_booking(booking)
    return side


def _user():
    return current_user if current_user.is_authenticated else None


def _thread_url(conversation: Conversation) -> str:
    if conversation.id is not None and current_user.is_authenticated:
        return url_for("messages.conversation", conversation_id=conversation.id)
    booking = conversation.booking
    return url_for("messages.booking_thread", reference=booking.reference)


def _page(conversation: Conversation, side: str, *, body: str = "", error: str = "", status=200):
    shown = messages.open_conversation(conversation, _user(), side)
    page = render_template(
        "messages/thread.html",
        conversation=conversation,
        shown=shown,
        side=side,
        body=body,
        error=error,
        max_length=MESSAGE_MAX_LENGTH,
        action=request.path,
        key=request.values.get("key") or "",
    )
    return page, status


def _handle(conversation: Conversation, side: str):
    """GET: show the thread; POST: send, then back to the thread (400 with the text kept)."""
    if request.method == "GET":
        return _page(conversation, side)
    body = request.form.get("body", "")
    try:
        message = messages.post_message(conversation, _user(), side, body)
    except ServiceError as exc:
        return _page(
            conversation,
            side,
            body=body[: MESSAGE_MAX_LENGTH * 2],
            error=exc.message,
            status=exc.status,
        )
    flash(_("Message sent."), "success")
    return redirect(_thread_url(message.conversation) + "#latest")


@bp.get("")
@login_required
def index():
    """The signed-in user's threads, newest first, with unread counts; and for the cooperative,
    the reported threads of its communities."""
    reported = (
        messages.reported_conversations(current_user)
        if current_user.role.value in ("coop", "admin")
        else []
    )
    return render_template(
        "messages/index.html", threads=messages.conversations_of(current_user), reported=reported
    )


@bp.route("/<int:conversation_id>", methods=["GET", "POST"])
@limit_messages
def conversation(conversation_id: int):
    """One thread by id; 404 unless `side_of` admits the reader."""
    found = messages.get_conversation(conversation_id)
    if found is None:
        abort(404)
    return _handle(found, _admitted(found))


@bp.route("/booking/<reference>", methods=["GET", "POST"])
@limit_messages
def booking_thread(reference: str):
    """A booking's thread, for its traveller (a guest through `?key=`), hosts and guides."""
    found = messages.booking_conversation(_booking(reference))
    return _handle(found, _admitted(found))


@bp.route("/ask/<key>", methods=["GET", "POST"])
@login_required
@limit_messages
def ask(key: str):
    """Ask a listing's host a question before booking; the thread, once it exists."""
    listing = db.session.scalar(select(Listing).where(Listing.key == key[:80]))
    if listing is None:
        abort(404)
    try:
        found = messages.inquiry_conversation(listing, current_user)
    except ServiceError as exc:
        if exc.status == 404:
            abort(404)
        flash(exc.message, "error")
        return redirect(url_for("public.listing", key=listing.key))
    if found.id is not None and request.method == "GET":
        return redirect(url_for("messages.conversation", conversation_id=found.id))
    return _handle(found, messages.TRAVELLER)


@bp.post("/<int:conversation_id>/report")
def report(conversation_id: int):
    """Either side reports the thread to the cooperative (CSRF-checked); 404 for anyone else."""
    found = messages.get_conversation(conversation_id)
    if found is None:
        abort(404)
    side = _admitted(found)
    try:
        done = messages.report_conversation(found, _user(), side, request.form.get("reason", ""))
    except ServiceError as exc:
        abort(exc.status)
    if done:
        flash(_("Thank you. The village cooperative can now read this conversation."), "success")
    booking = found.booking
    if current_user.is_authenticated or booking is None:
        return redirect(url_for("messages.conversation", conversation_id=found.id))
    key = request.form.get("key") or None
    return redirect(url_for("messages.booking_thread", reference=booking.reference, key=key))

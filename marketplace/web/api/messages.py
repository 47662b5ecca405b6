"""A booking's messages through the API, for its parties (tourist, host, guide tokens).

Anyone else, cooperative staff included until the thread is reported, gets 404.
"""

from flask import g, jsonify

from ...services.booking import bookings, messages
from ..messages import limit_messages
from ..schemas.messages import Message, MessageRequest, Messages
from . import ApiError, bp, token_required
from .openapi import BEARER, endpoint

NOT_THEIRS = "Unknown booking, or not one of its parties"


def _iso(moment):
    return moment.isoformat() if moment else None


def _thread(reference: str):
    """The booking's thread and the caller's side; 404 when it is not theirs."""
    from flask_babel import gettext as _

    try:
        booking = bookings.get_by_reference(reference[:32])
    except bookings.ServiceError:
        booking = None
    conversation = messages.booking_conversation(booking) if booking is not None else None
    side = messages.side_of(g.api_user, conversation) if conversation is not None else None
    if side is None:
        raise ApiError(404, "not_found", _("No booking with this reference."))
    return conversation, side


def message_json(message) -> dict:
    return {
        "id": message.id,
        "side": message.side,
        "sender_name": message.sender_name,
        "body": message.body,
        "created_at": _iso(message.created_at),
    }


@bp.get("/bookings/<reference>/messages")
@token_required()
@endpoint(
    tag="messages",
    security=[BEARER],
    answers={200: (Messages, "The messages, oldest first")},
    errors={401: "No valid token", 404: NOT_THEIRS},
)
def list_messages(reference: str):
    """The booking's messages between its traveller and hosts (and guide)

    Oldest first; they count as read by the caller from now on.
    """
    conversation, side = _thread(reference)
    shown = messages.open_conversation(conversation, g.api_user, side)
    return jsonify(
        reference=conversation.booking.reference,
        items=[message_json(m) for m in shown],
        reported=conversation.reported_at is not None,
    )


@bp.post("/bookings/<reference>/messages")
@limit_messages
@token_required()
@endpoint(
    tag="messages",
    security=[BEARER],
    answers={201: (Message, "The message")},
    errors={
        400: "The body is missing, not text or too long (field `body`)",
        401: "No valid token",
        403: "read_only: cooperative staff read a reported thread, they do not write in it",
        404: NOT_THEIRS,
        429: "rate_limited: too many messages",
    },
)
def post_message(reference: str, json: MessageRequest):
    """Send a message; the other parties are mailed in their language"""
    conversation, side = _thread(reference)
    message = messages.post_message(conversation, g.api_user, side, json.body)
    return jsonify(message_json(message)), 201

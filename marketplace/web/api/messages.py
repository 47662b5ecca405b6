"""A booking's messages through the API, for its parties (tourist, host, guide tokens).

Anyone else, cooperative staff included until the thread is reported, gets 404.
"""

from flask import g, jsonify

from ...models import MESSAGE_MAX_LENGTH
from ...services import bookings, messages
from ..messages import limit_messages
from . import ApiError, bp, json_body, token_required


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
def list_messages(reference: str):
    """The booking's messages, oldest first; marks them read for the caller. 404 when not theirs."""
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
def post_message(reference: str):
    """Send a message to the booking's other parties (mailed to them). 201 with the message;
    400 body missing, not text or too long; 404 not theirs; 429 rate limited."""
    conversation, side = _thread(reference)
    data = json_body()
    message = messages.post_message(conversation, g.api_user, side, data.get("body"))
    return jsonify(message_json(message)), 201


_ERROR = {"$ref": "#/components/schemas/Error"}
_MESSAGE = {
    "type": "object",
    "required": ["id", "side", "body", "created_at"],
    "properties": {
        "id": {"type": "integer"},
        "side": {"type": "string", "enum": ["traveller", "host", "guide"]},
        "sender_name": {"type": "string"},
        "body": {"type": "string"},
        "created_at": {"type": "string", "format": "date-time"},
    },
}
_REF = {"name": "reference", "in": "path", "required": True, "schema": {"type": "string"}}


def _json(schema):
    return {"application/json": {"schema": schema}}


def _errors(*statuses: str) -> dict:
    text = {
        "400": "Invalid body (field `body`)",
        "401": "No valid token",
        "404": "Unknown booking, or not one of its parties",
        "429": "rate_limited: too many messages",
    }
    return {status: {"description": text[status], "content": _json(_ERROR)} for status in statuses}


OPENAPI_PATHS = {
    "/bookings/{reference}/messages": {
        "get": {
            "summary": "The booking's messages between its traveller and hosts (and guide)",
            "security": [{"bearer": []}],
            "parameters": [_REF],
            "responses": {
                "200": {
                    "description": "Messages, oldest first; read by the caller from now on",
                    "content": _json(
                        {
                            "type": "object",
                            "properties": {
                                "reference": {"type": "string"},
                                "items": {"type": "array", "items": _MESSAGE},
                                "reported": {"type": "boolean"},
                            },
                        }
                    ),
                },
                **_errors("401", "404"),
            },
        },
        "post": {
            "summary": "Send a message; the other parties are mailed in their language",
            "security": [{"bearer": []}],
            "parameters": [_REF],
            "requestBody": {
                "required": True,
                "content": _json(
                    {
                        "type": "object",
                        "required": ["body"],
                        "properties": {
                            "body": {
                                "type": "string",
                                "minLength": 1,
                                "maxLength": MESSAGE_MAX_LENGTH,
                            }
                        },
                    }
                ),
            },
            "responses": {
                "201": {"description": "The message", "content": _json(_MESSAGE)},
                **_errors("400", "401", "404", "429"),
            },
        },
    }
}

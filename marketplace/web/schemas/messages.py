"""A booking's messages between its traveller, hosts and guide."""

from typing import ClassVar, Literal

from pydantic import Field

from ...models import MESSAGE_MAX_LENGTH
from .common import Input, Output


class MessageRequest(Input):
    #: the code `messages.post_message` answers for a long body
    error_codes: ClassVar[dict[str, str]] = {"string_too_long": "too_long"}

    body: str = Field(min_length=1, max_length=MESSAGE_MAX_LENGTH)


class Message(Output):
    id: int
    side: Literal["traveller", "host", "guide"]
    sender_name: str | None = None
    body: str
    created_at: str = Field(json_schema_extra={"format": "date-time"})


class Messages(Output):
    reference: str
    items: list[Message] = Field(description="Oldest first; read by the caller from now on")
    reported: bool

"""Shared pieces: the error envelope, base classes and the small types the API reads."""

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

#: the largest id the database holds (PostgreSQL integer)
MAX_ID = 2**31 - 1


def _no_bool(value: Any) -> Any:
    # JSON true is not 1: a flag sent where a number belongs is a mistake
    if isinstance(value, bool):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


def _blank_is_none(value: Any) -> Any:
    # `?guests=` in a URL means "not given", as on the pages
    if isinstance(value, str) and not value.strip():
        return None
    return value


Whole = Annotated[int, BeforeValidator(_no_bool)]
Id = Annotated[int, BeforeValidator(_no_bool), Field(ge=1, le=MAX_ID)]
#: a URL argument: empty means absent
Blank = BeforeValidator(_blank_is_none)


class Input(BaseModel):
    """A request body or query: unknown fields are ignored, text is stripped."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class Output(BaseModel):
    """An answer: may carry more fields than it names."""

    model_config = ConfigDict(extra="allow")


class ErrorDetail(BaseModel):
    code: str = Field(description="Machine-readable, e.g. `invalid`, `sold_out`")
    message: str = Field(description="In the request's language")
    field: str | None = Field(
        None, description="The input at fault, e.g. `items[0].check_out`, when there is one"
    )
    problems: dict[str, str] | None = Field(
        None,
        description="Every input found wrong, {field: message}, when a check looked at several; "
        "the first is also `field`/`message`",
    )


class Error(BaseModel):
    """The one error envelope of the API."""

    error: ErrorDetail

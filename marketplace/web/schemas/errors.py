"""Pydantic's validation errors in the API's terms: a code, a message in the request's language
and the field at fault written as clients know it (`items[0].check_out`)."""

from flask_babel import gettext as _
from pydantic import ValidationError

DATE_ERRORS = {
    "date_type",
    "date_parsing",
    "date_from_datetime_parsing",
    "date_from_datetime_inexact",
}
TIME_ERRORS = {"datetime_type", "datetime_parsing", "datetime_from_date_parsing", "timezone_aware"}


def field_name(loc: tuple) -> str:
    """("items", 0, "StayItem", "check_out") -> "items[0].check_out".

    A union's member name (capitalised, never a field of ours) is left out; a header keeps its
    own spelling (`Idempotency-Key`).
    """
    text = ""
    for position, part in enumerate(loc):
        if isinstance(part, int):
            text += f"[{part}]"
        elif position and part[:1].isupper():
            continue
        else:
            text += f".{part}" if text else str(part)
    return text


def _code_and_message(error: dict) -> tuple[str, str]:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "missing" or kind == "string_too_short":
        return "required", _("This field is required.")
    if kind in DATE_ERRORS:
        return "invalid_date", _("Enter a date as YYYY-MM-DD.")
    if kind in TIME_ERRORS:
        return "invalid", _("Use an ISO 8601 time with offset.")
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return "invalid", _("Enter a whole number.")
    if kind in {"greater_than_equal", "greater_than"}:
        return "invalid", _("Enter at least %(n)s.", n=ctx.get("ge", ctx.get("gt")))
    if kind in {"less_than_equal", "less_than"}:
        return "invalid", _("Enter at most %(n)s.", n=ctx.get("le", ctx.get("lt")))
    if kind in {"literal_error", "enum"}:
        return "invalid", _("Choose one of: %(choices)s.", choices=ctx.get("expected", ""))
    if kind == "string_too_long":
        return "invalid", _("At most %(n)s characters.", n=ctx.get("max_length"))
    if kind == "too_long":
        return "too_many", _("At most %(n)s at once.", n=ctx.get("max_length"))
    if kind == "too_short":
        return "invalid", _("Add at least %(n)s.", n=ctx.get("min_length"))
    if kind == "string_type":
        return "invalid", _("Must be text.")
    if kind == "list_type":
        return "invalid", _("Must be a list.")
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return "invalid", _("Must be an object.")
    return "invalid", _("This value is not valid.")


def error_body(exc: ValidationError, codes: dict[str, str] | None = None) -> dict:
    """The error envelope for `exc`: the first problem, and every one under `problems`.

    `codes` maps a pydantic error type to the code a model's clients know (BookingRequest).
    """
    problems: dict[str, tuple[str, str]] = {}
    for error in exc.errors(include_url=False, include_input=False):
        code, message = _code_and_message(error)
        code = (codes or {}).get(error["type"], code)
        problems.setdefault(field_name(error["loc"]), (code, message))
    field, (code, message) = next(iter(problems.items()))
    body = {"code": code, "message": message}
    if field:
        body["field"] = field
    if len(problems) > 1:
        body["problems"] = {name: text for name, (_code, text) in problems.items()}
    return {"error": body}

"""The booking form: GET shows the item, its price and policy; POST places the booking.

Guests book without an account; the booking is remembered in their session and its signed link
is emailed, and the trip page offers them an account (sign-up links bookings by email).
"""

import secrets

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length

from .. import date_formats
from ..clock import business_today
from ..countries import countries
from ..extensions import limiter
from ..services.booking import booking_queries, bookings
from ..services.booking.booking_requests import parse_contact, parse_guests, parse_items
from ..services.booking.cancellation_policy import describe
from ..services.shared.errors import ServiceError
from .booking_access import remember_guest_booking

bp = Blueprint("booking", __name__)

#: the query (and hidden form) fields that say what is booked
ITEM_FIELDS = (
    "room_type_id",
    "check_in",
    "check_out",
    "rooms",
    "guests",
    "departure_id",
    "participants",
)
#: service error field -> form field
FORM_FIELDS = {
    "contact.name": "name",
    "contact.email": "email",
    "contact.phone": "phone",
    "guests[0].full_name": "full_name",
    "guests[0].nationality": "nationality",
    "guests[0].date_of_birth": "date_of_birth",
    "guests[0].passport_number": "passport_number",
    "guests[0].sex": "sex",
}


class BookingForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[Length(max=120)])
    email = StringField(_l("Email"), validators=[Length(max=254)], render_kw={"type": "email"})
    phone = StringField(_l("Phone"), validators=[Length(max=32)], render_kw={"type": "tel"})
    full_name = StringField(
        _l("Full name as in the passport or ID card"), validators=[Length(max=120)]
    )
    nationality = SelectField(_l("Nationality"), validate_choice=False)
    date_of_birth = StringField(_l("Date of birth"), render_kw={"type": "date"})
    passport_number = StringField(_l("Passport number"), validators=[Length(max=32)])
    sex = SelectField(
        _l("Sex"),
        choices=[("", "—"), ("M", _l("Male")), ("F", _l("Female"))],
        validate_choice=False,
    )
    special_requests = TextAreaField(_l("Special requests"), validators=[Length(max=2000)])
    form_token = HiddenField()
    submit = SubmitField(_l("Book now"))


def country_choices(locale: str) -> list[tuple[str, str]]:
    """ISO countries named in the visitor's language, sorted as a reader of it would look."""
    return [("", str(_l("Choose a country")))] + list(countries(locale))


def _item_values(source) -> dict:
    return {name: source.get(name) for name in ITEM_FIELDS if source.get(name) not in (None, "")}


def _preview(values: dict):
    """(preview, None) or (None, error) for the item the query describes."""
    try:
        item = parse_items([values], business_today())[0]
        return booking_queries.preview_item(item), None
    except ServiceError as exc:
        return None, exc


def hold_limit() -> str:
    """New holds per client address (HOLD_LIMIT_ADDRESS), the booking page and the API together."""
    from flask import current_app

    return current_app.config["HOLD_LIMIT_ADDRESS"]


def hold_made(response) -> bool:
    """Only a booking made counts against the address (201 API, 302 page), not a refused try."""
    return response.status_code in (201, 302)


@bp.route("/book", methods=["GET", "POST"])
@limiter.shared_limit(hold_limit, scope="holds", methods=["POST"], deduct_when=hold_made)
def book():
    """The booking form. POST places the booking and redirects to its trip page.

    A repeated POST of the same form (double click, reload) finds the first booking by the form's
    one-time token. Service errors show next to their field; item errors above the form.
    """
    locale = str(get_locale())
    values = _item_values(request.form if request.method == "POST" else request.args)
    form = BookingForm()
    form.nationality.choices = country_choices(locale)
    if request.method == "GET":
        form.form_token.data = secrets.token_urlsafe(24)
        if current_user.is_authenticated:
            form.name.data = form.name.data or current_user.name
            form.email.data = form.email.data or current_user.email
            form.phone.data = form.phone.data or current_user.phone
            form.full_name.data = current_user.name
            form.nationality.data = current_user.nationality or ""
        if not form.nationality.data and locale == "vi":
            form.nationality.data = "VN"
    preview, item_error = _preview(values)
    status = 200
    # every field is checked on each submit, so one round trip shows every problem at once
    valid = request.method == "POST" and _check_all(form)
    if valid and preview is not None:
        booking, error = _place(form, values, locale)
        if booking is not None:
            remember_guest_booking(booking)
            return redirect(url_for("trips.detail", reference=booking.reference))
        target = getattr(form, FORM_FIELDS.get(error.field or "", ""), None)
        if target is not None:
            target.errors = [*target.errors, error.message]
        else:
            item_error = error
        status = {"sold_out": 409, "too_many_holds": 429}.get(error.code, 400)
    elif request.method == "POST":
        status = 400
    if item_error is not None and request.method == "GET":
        status = item_error.status if item_error.status in (400, 404, 409) else 400
    return (
        render_template(
            "booking/form.html",
            form=form,
            values=values,
            preview=preview,
            item_error=item_error,
            policy=describe(preview.listing.cancellation_policy) if preview else "",
        ),
        status,
    )


def _contact(form: BookingForm) -> dict:
    return {"name": form.name.data, "email": form.email.data, "phone": form.phone.data}


def _guest(form: BookingForm) -> dict:
    return {
        "full_name": form.full_name.data,
        "nationality": form.nationality.data,
        "date_of_birth": form.date_of_birth.data,
        "passport_number": form.passport_number.data,
        "sex": form.sex.data,
    }


def form_problems(form: BookingForm) -> dict[str, str]:
    """{form field: message} for every field the booking rules refuse (they name them all)."""
    problems: dict[str, str] = {}
    checks = ((parse_contact, _contact(form)), (lambda raw: parse_guests([raw]), _guest(form)))
    for parse, raw in checks:
        try:
            parse(raw)
        except ServiceError as exc:
            for field, message in exc.problems.items():
                name = FORM_FIELDS.get(field)
                if name is not None:
                    problems.setdefault(name, message)
    return problems


def _check_all(form: BookingForm) -> bool:
    """Run the form's own checks and the booking rules on every field; errors go on the fields."""
    form.validate()
    for name, message in form_problems(form).items():
        field = getattr(form, name)
        field.errors = [*field.errors, message]
    return not any(field.errors for field in form)


def _place(form: BookingForm, values: dict, locale: str):
    """(booking, None) or (None, ServiceError)."""
    try:
        items = parse_items([values], business_today())
        contact = parse_contact(_contact(form))
        guests = parse_guests([_guest(form)])
        token = (form.form_token.data or "").strip()[:120]
        booking, _created = bookings.place_booking(
            items,
            contact,
            guests,
            tourist=current_user if current_user.is_authenticated else None,
            locale=locale,
            special_requests=form.special_requests.data or "",
            idempotency=("form", token) if token else None,
        )
    except ServiceError as exc:
        return None, exc
    return booking, None


def sold_by_bed(room_type) -> bool:
    """A dormitory sells beds, not rooms (the host ticks it on the room type)."""
    return bool(room_type is not None and room_type.sold_by_bed)


def unit_count(room_type, count: int) -> str:
    """ "3 rooms" or "3 beds" in the current language, for quantities of `room_type`."""
    if sold_by_bed(room_type):
        return ngettext("%(num)d bed", "%(num)d beds", count)
    return ngettext("%(num)d room", "%(num)d rooms", count)


@bp.app_context_processor
def _booking_helpers():
    locale = str(get_locale() or "vi")
    return {
        "item_title": lambda item: booking_queries.item_title(item, locale),
        "unit_count": unit_count,
        "sold_by_bed": sold_by_bed,
    }


bp.add_app_template_filter(date_formats.skeleton, "skeleton")


@bp.app_template_filter("isodate")
def _isodate(value):
    """A YYYY-MM-DD string (as in price lines and the query) as a date, for Babel's filters."""
    from datetime import date

    return value if isinstance(value, date) else date.fromisoformat(str(value))

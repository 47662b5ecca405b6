"""Two-factor pages: enrolment (QR, confirm, recovery codes), the code step of log-in, turning off.

The password step (`account.login`) does not log an enrolled user in: it calls
`begin_pending_login`, which keeps only the user's id in the session and sends them here;
`verify` calls `login_user` once a code passes. Wrong codes are limited per account.
"""

import time

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from ..extensions import db, limiter
from ..gateways import qr
from ..models import User
from ..services.accounts import accounts, two_factor
from ..services.shared.errors import ServiceError
from .security import safe_next

bp = Blueprint("two_factor", __name__, url_prefix="/account/2fa")

#: session key of a log-in waiting for its code: {"uid", "next", "at"}
PENDING = "two_factor_pending"
#: seconds between the password and the code before the password is asked again
PENDING_SECONDS = 600
#: blueprints of the back office: an account that must enrol is sent to enrolment first
GUARDED_BLUEPRINTS = frozenset({"admin", "host", "checkin"})


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code from your authenticator app"), validators=[DataRequired(), Length(max=64)]
    )
    submit = SubmitField(_l("Continue"))


class ConfirmForm(CodeForm):
    submit = SubmitField(_l("Turn on two-factor sign-in"))


class DisableForm(CodeForm):
    submit = SubmitField(_l("Turn off two-factor sign-in"))


def begin_pending_login(user: User, next_url: str | None):
    """After a right password: remember who is signing in, and ask for the code."""
    session[PENDING] = {"uid": user.id, "next": next_url or "", "at": int(time.time())}
    return redirect(url_for("two_factor.verify"))


def _pending_user_id() -> int | None:
    pending = session.get(PENDING)
    if not isinstance(pending, dict) or not isinstance(pending.get("uid"), int):
        return None
    if not isinstance(pending.get("at"), int) or time.time() - pending["at"] > PENDING_SECONDS:
        session.pop(PENDING, None)
        return None
    return pending["uid"]


def _limit() -> str:
    return current_app.config.get("TWO_FACTOR_RATE_LIMIT", "5 per 15 minutes")


def _code_limit_key() -> str:
    """Wrong codes count against the account being signed into, wherever they come from."""
    if current_user.is_authenticated:
        return f"2fa:{current_user.id}"
    uid = _pending_user_id()
    return f"2fa:{uid}" if uid else f"2fa-ip:{request.remote_addr}"


def _wrong_code_answered(response) -> bool:
    """Only refused codes use up the allowance."""
    return bool(g.get("two_factor_refused"))


def _refused(form: CodeForm, exc: ServiceError) -> None:
    form.code.errors.append(exc.message)
    g.two_factor_refused = exc.code == "wrong_code"


_code_limited = limiter.limit(
    _limit, key_func=_code_limit_key, methods=["POST"], deduct_when=_wrong_code_answered
)


@bp.route("", methods=["GET", "POST"])
@_code_limited
def verify():
    """The second step of log-in: a TOTP code or a recovery code."""
    uid = _pending_user_id()
    if uid is None:
        flash(_("Please log in again."), "info")
        return redirect(url_for("account.login"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            kind = two_factor.verify_login(uid, form.code.data)
        except ServiceError as exc:
            _refused(form, exc)
        else:
            pending = session.pop(PENDING)
            user = db.session.get(User, uid)
            login_user(user, remember=True)
            accounts.attach_guest_bookings(user)  # as the password-only log-in does
            if kind == "recovery":
                flash(
                    _(
                        "You used a recovery code; %(n)d left.",
                        n=two_factor.recovery_codes_left(current_user),
                    ),
                    "warning",
                )
            return redirect(safe_next(pending.get("next"), url_for("public.home")))
    return render_template("account/two_factor_verify.html", form=form)


@bp.route("/setup", methods=["GET", "POST"])
@login_required
@_code_limited
def setup():
    """Enrolment: the secret as a QR code and as text, then a first code to confirm it."""
    if not two_factor.is_eligible(current_user):
        flash(_("Two-factor sign-in is for staff accounts."), "info")
        return redirect(url_for("public.home"))
    if two_factor.is_enrolled(current_user):
        return render_template(
            "account/two_factor_status.html",
            form=DisableForm(),
            left=two_factor.recovery_codes_left(current_user),
        )
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            codes = two_factor.confirm_enrolment(current_user, form.code.data)
        except ServiceError as exc:
            _refused(form, exc)
        else:
            # shown once, in this answer; only their hashes are kept
            return render_template("account/two_factor_recovery.html", codes=codes)
    secret = two_factor.begin_enrolment(current_user)
    svg = Markup(qr.render_svg(two_factor.provisioning_uri(current_user, secret), box_size=5))
    return render_template(
        "account/two_factor_setup.html",
        form=form,
        qr_svg=svg,
        secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        required=two_factor.must_enrol(current_user),
    )


@bp.post("/disable")
@login_required
@_code_limited
def disable():
    """Turn two-factor sign-in off with a current code or a recovery code."""
    form = DisableForm()
    if form.validate_on_submit():
        try:
            two_factor.disable(current_user, form.code.data)
        except ServiceError as exc:
            _refused(form, exc)
        else:
            flash(_("Two-factor sign-in is off."), "success")
            return redirect(url_for("two_factor.setup"))
    if not two_factor.is_enrolled(current_user):
        return redirect(url_for("two_factor.setup"))
    return render_template(
        "account/two_factor_status.html",
        form=form,
        left=two_factor.recovery_codes_left(current_user),
    )


@bp.before_app_request
def _require_enrolment():
    """Accounts whose role requires a second factor enrol before any back-office page."""
    if request.blueprint not in GUARDED_BLUEPRINTS or not current_user.is_authenticated:
        return None
    if two_factor.must_enrol(current_user):
        flash(_("Set up two-factor sign-in to continue."), "warning")
        return redirect(url_for("two_factor.setup"))
    return None

"""Sign-up, email confirmation, log-in, log-out, password change and reset.

Sign-up and "forgot password" answer the same whether the address has an account or not; the
mail says the rest. Log-in is limited per account and per client address (settings
LOGIN_LIMIT_ACCOUNT, LOGIN_LIMIT_ADDRESS), sign-up and reset per address.
"""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import db, limiter, login_manager
from ..models import User
from ..services.accounts import account_tokens, accounts
from ..services.shared.errors import ServiceError
from .account_forms import ForgotPasswordForm, ResetPasswordForm
from .forms import LoginForm, PasswordForm, SignupForm
from .security import next_param, safe_next

bp = Blueprint("account", __name__, url_prefix="/account")

login_manager.login_view = "account.login"
login_manager.login_message = None


@login_manager.user_loader
def _load_user(login_id: str):
    """`User.get_id()` is "id:session version": a cookie from before a password change (an older
    version) or in another form loads nobody."""
    user_id, _sep, version = (login_id or "").partition(":")
    if not (user_id.isdigit() and version.isdigit()) or not 0 < int(user_id) < 2**31:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or (user.session_version or 1) != int(version):
        return None
    return user


def _setting(name: str):
    return lambda: current_app.config[name]


def _account_key() -> str:
    """The login limit per account: the address typed, as accounts are looked up."""
    return "login-account:" + (request.form.get("email") or "").strip().lower()[:254]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_setting("LOGIN_LIMIT_ACCOUNT"), key_func=_account_key, methods=["POST"])
@limiter.limit(_setting("LOGIN_LIMIT_ADDRESS"), methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("Email or password is not right."))
        else:
            from ..services.accounts import two_factor
            from .two_factor import begin_pending_login

            if two_factor.required_for_login(user):  # web/two_factor.py logs in after the code
                return begin_pending_login(user, next_param())
            login_user(user, remember=True)
            accounts.attach_guest_bookings(user)  # only with a confirmed address
            return redirect(safe_next(next_param(), url_for("public.home")))
    return render_template("account/login.html", form=form, next=next_param())


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(_setting("SIGNUP_LIMIT_ADDRESS"), methods=["POST"])
def signup():
    """A new address gets an account and a confirmation link, a known one a warning mail; the
    page after is the same for both."""
    form = SignupForm()
    if form.validate_on_submit():
        try:
            accounts.sign_up(
                form.email.data,
                form.password.data,
                name=form.name.data,
                locale=str(get_locale()),
            )
        except ServiceError as exc:
            getattr(form, exc.field or "email", form.email).errors.append(exc.message)
        else:
            return redirect(url_for("account.check_email", next=next_param()))
    return render_template("account/signup.html", form=form, next=next_param())


@bp.get("/check-email")
def check_email():
    return render_template("account/check_email.html", next=next_param())


@bp.get("/verify")
def verify():
    """Confirm the address of a mailed link; its first use also logs the account in. 400 when the
    link is forged or expired."""
    try:
        user, newly = accounts.verify_email(request.args.get("token", ""))
    except ServiceError as exc:
        return render_template("account/link_invalid.html", message=exc.message), 400
    flash(_("Thank you: your email address is confirmed."), "success")
    if newly or (current_user.is_authenticated and current_user.id == user.id):
        login_user(user, remember=True)
        return redirect(safe_next(next_param(), url_for("trips.index")))
    return redirect(url_for("account.login", next=url_for("trips.index")))


@bp.post("/verify/resend")
@login_required
@limiter.limit(_setting("RESET_LIMIT_ADDRESS"))
def resend_verification():
    if accounts.resend_verification(current_user):
        flash(_("We sent you a new link. Please check your email."), "info")
    else:
        flash(_("Your email address is already confirmed."), "info")
    return redirect(url_for("trips.index"))


@bp.post("/logout")
def logout():
    logout_user()  # also clears this browser's remember-me cookie
    flash(_("You are logged out."), "info")
    return redirect(url_for("public.home"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    """Change the password; every other session and remember-me cookie ends, this one goes on."""
    form = PasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            accounts.change_password(user, form.current.data, form.password.data)
        except ServiceError as exc:
            field = {"current": form.current}.get(exc.field, form.password)
            field.errors.append(exc.message)
        else:
            login_user(user, remember=True)  # this browser's cookies carry the new version
            flash(_("Your password is changed."), "success")
            return redirect(url_for("public.home"))
    return render_template("account/password.html", form=form)


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit(_setting("RESET_LIMIT_ADDRESS"), methods=["POST"])
def forgot_password():
    """Ask for a reset link; the answer does not say whether the address has an account."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        accounts.request_password_reset(form.email.data)
        flash(
            _(
                "If an account uses this address, we sent it a link to choose a new password. "
                "The link works for one hour."
            ),
            "info",
        )
        return redirect(url_for("account.login"))
    return render_template("account/forgot.html", form=form)


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(_setting("RESET_LIMIT_ADDRESS"), methods=["POST"])
def reset_password():
    """The mailed link's form: a new password. 400 when the link is forged, expired or used."""
    form = ResetPasswordForm()
    if request.method == "GET":
        form.token.data = request.args.get("token", "")
        if account_tokens.user_for_reset(form.token.data) is None:
            return _invalid_reset_link()
    elif form.validate_on_submit():
        try:
            accounts.reset_password(form.token.data, form.password.data)
        except ServiceError as exc:
            if exc.code == "invalid_link":
                return _invalid_reset_link()
            form.password.errors.append(exc.message)
        else:
            logout_user()
            flash(_("Your password is changed. Log in with the new one."), "success")
            return redirect(url_for("account.login"))
    return render_template("account/reset.html", form=form)


def _invalid_reset_link():
    message = _("This link is not valid or has expired. Ask for a new one.")
    return render_template("account/link_invalid.html", message=message, forgot=True), 400

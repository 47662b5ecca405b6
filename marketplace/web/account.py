"""Sign-up, log-in, log-out and password change."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import db, limiter, login_manager
from ..models import User
from ..services import accounts
from ..services.errors import ServiceError
from .forms import LoginForm, PasswordForm, SignupForm
from .security import next_param, safe_next

bp = Blueprint("account", __name__, url_prefix="/account")

login_manager.login_view = "account.login"
login_manager.login_message = None


@login_manager.user_loader
def _load_user(user_id: str):
    return db.session.get(User, int(user_id))


def _login_limit() -> str:
    from flask import current_app

    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("Email or password is not right."))
        else:
            login_user(user, remember=True)
            return redirect(safe_next(next_param(), url_for("public.home")))
    return render_template("account/login.html", form=form, next=next_param())


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    form = SignupForm()
    if form.validate_on_submit():
        from flask_babel import get_locale

        try:
            user = accounts.create_user(
                form.email.data,
                form.password.data,
                name=form.name.data,
                locale=str(get_locale()),
            )
        except ServiceError as exc:
            getattr(form, exc.field or "email").errors.append(exc.message)
        else:
            from ..services import bookings_link

            bookings_link.attach_guest_bookings(user)
            login_user(user, remember=True)
            flash(_("Welcome! Your account is ready."), "success")
            return redirect(safe_next(next_param(), url_for("public.home")))
    return render_template("account/signup.html", form=form, next=next_param())


@bp.post("/logout")
def logout():
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("public.home"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(current_user, form.current.data, form.password.data)
        except ServiceError as exc:
            field = {"current": form.current}.get(exc.field, form.password)
            field.errors.append(exc.message)
        else:
            flash(_("Your password is changed."), "success")
            return redirect(url_for("public.home"))
    return render_template("account/password.html", form=form)

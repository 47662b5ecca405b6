"""Accounts that can be trusted, through HTTP: a confirmed address before guest bookings join,
password reset by a link that works once and expires, sessions that end with a password change,
sign-up and reset that do not reveal who has an account, log-in limits that say how long to wait.
"""

import email
import email.policy
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from itsdangerous import URLSafeTimedSerializer

from marketplace.extensions import db
from marketplace.models import User
from marketplace.services.accounts import account_tokens
from marketplace.services.booking import bookings
from tests.factories import PASSWORD, login, make_listing, make_user, stay_item

NEW_PASSWORD = "a-new-password-7"


def _mails(outbox, before: set) -> list:
    paths = sorted(set(Path(outbox).glob("*.eml")) - before)
    return [email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in paths]


def _snapshot(outbox) -> set:
    return set(Path(outbox).glob("*.eml"))


def _text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def _link(message, path: str) -> str:
    """The local part (path and query) of the link to `path` in a mail."""
    url = re.search(rf"https?://\S+{re.escape(path)}\?\S+", _text(message)).group(0)
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def _sign_up(client, email_address: str, password: str = "long-enough-1"):
    return client.post(
        "/account/signup",
        data={"name": "Someone", "email": email_address, "password": password},
    )


def _guest_booking(client, email_address: str = "guest@example.test") -> str:
    room = make_listing(units=2).room_types[0]
    data = {
        **stay_item(room),
        "name": "Real Guest",
        "email": email_address,
        "phone": "+84 912 345 678",
        "full_name": "Real Guest",
        "nationality": "DE",
        "date_of_birth": "1990-05-01",
        "passport_number": "C01X00T47",
        "form_token": "token-trust",
    }
    response = client.post("/book", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return response.headers["Location"].rsplit("/", 1)[-1]


# --- 1. no takeover: guest bookings join only a confirmed address -----------------------------


def test_takeover_attempt_sees_nothing_until_the_mailed_link_is_opened(app, client, outbox):
    guest = app.test_client()
    reference = _guest_booking(guest)
    before = _snapshot(outbox)

    assert _sign_up(client, "Guest@Example.test").status_code == 302
    login(client, User.query.filter_by(email="guest@example.test").one(), "long-enough-1")
    trips = client.get("/trips?lang=en").get_data(as_text=True)
    assert reference not in trips
    assert client.get(f"/trips/{reference}").status_code == 404
    assert client.get(f"/trips/{reference}/cancel").status_code == 404

    [mail] = [m for m in _mails(outbox, before) if m["To"] == "guest@example.test"]
    assert mail["Subject"] and "/account/verify" in mail.get_body(("plain",)).get_content()
    fresh = app.test_client()  # the link logs in wherever it is opened first
    response = fresh.get(_link(mail, "/account/verify"))
    assert response.status_code == 302 and response.headers["Location"].endswith("/trips")
    assert reference in fresh.get("/trips?lang=en").get_data(as_text=True)
    # sessions opened before the address was confirmed (maybe by whoever typed it) are ended
    assert client.get("/trips").status_code == 302
    # used once, the link no longer logs anyone in
    again = app.test_client().get(_link(mail, "/account/verify"))
    assert "/account/login" in again.headers["Location"]


def test_a_forged_or_expired_verification_link_is_refused(app, client, outbox):
    before = _snapshot(outbox)
    _sign_up(client, "late@example.test")
    [mail] = _mails(outbox, before)
    link = _link(mail, "/account/verify")
    assert client.get(link[:-3] + "xyz").status_code == 400
    app.config["EMAIL_VERIFY_MAX_AGE"] = timedelta(seconds=-1)
    try:
        response = client.get(f"{link}&lang=en")
    finally:
        app.config["EMAIL_VERIFY_MAX_AGE"] = timedelta(days=3)
    assert response.status_code == 400 and "not valid or has expired" in response.get_data(
        as_text=True
    )
    assert User.query.filter_by(email="late@example.test").one().email_verified_at is None


def test_unconfirmed_user_is_told_and_can_ask_for_a_new_link(client, outbox):
    _sign_up(client, "waiting@example.test")
    login(client, User.query.filter_by(email="waiting@example.test").one(), "long-enough-1")
    assert "confirm the address" in client.get("/trips?lang=en").get_data(as_text=True)
    before = _snapshot(outbox)
    assert client.post("/account/verify/resend").status_code == 302
    [mail] = _mails(outbox, before)
    assert client.get(_link(mail, "/account/verify")).status_code == 302
    assert "confirm the address" not in client.get("/trips?lang=en").get_data(as_text=True)


def test_confirmed_account_gets_later_guest_bookings_at_log_in(app, client, outbox):
    before = _snapshot(outbox)
    _sign_up(client, "guest@example.test")
    client.get(_link(_mails(outbox, before)[0], "/account/verify"))
    client.post("/account/logout")
    reference = _guest_booking(app.test_client())
    login(client, User.query.filter_by(email="guest@example.test").one(), "long-enough-1")
    assert reference in client.get("/trips").get_data(as_text=True)


def test_logged_in_user_attaches_a_booking_by_its_own_link(app, client):
    from marketplace.web.booking_access import booking_key

    reference = _guest_booking(app.test_client(), "someone.else@example.test")
    user = make_user()
    login(client, user)
    assert client.get(f"/trips/{reference}").status_code == 404
    assert client.post(f"/trips/{reference}/attach", data={"key": "forged"}).status_code == 404
    with app.test_request_context():
        key = booking_key(bookings.get_by_reference(reference))
    page = client.get(f"/trips/{reference}?key={key}&lang=en").get_data(as_text=True)
    assert "Add to my trips" in page
    response = client.post(f"/trips/{reference}/attach", data={"key": key})
    assert response.status_code == 302
    db.session.expire_all()
    assert bookings.get_by_reference(reference).tourist_id == user.id
    assert reference in client.get("/trips").get_data(as_text=True)
    # it belongs to an account now: nobody else attaches it
    other = app.test_client()
    login(other, make_user())
    assert other.post(f"/trips/{reference}/attach", data={"key": key}).status_code == 404


# --- 4. sign-up and reset do not tell who has an account --------------------------------------


def test_sign_up_with_a_known_address_mails_its_owner_instead(client, outbox):
    owner = make_user(email="owner@example.test", locale="vi")
    before = _snapshot(outbox)
    known = _sign_up(client, "owner@example.test")
    unknown = _sign_up(client, "nobody@example.test")
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    mails = {m["To"]: m for m in _mails(outbox, before)}
    assert set(mails) == {"owner@example.test", "nobody@example.test"}
    assert "/account/forgot" in _text(mails["owner@example.test"])
    assert "/account/verify" not in _text(mails["owner@example.test"])
    db.session.refresh(owner)
    assert owner.name != "Someone"  # nothing about the existing account changed


def test_forgot_password_answers_the_same_for_any_address(client, outbox):
    make_user(email="known@example.test")
    before = _snapshot(outbox)
    known = client.post("/account/forgot", data={"email": "known@example.test"})
    unknown = client.post("/account/forgot", data={"email": "unknown@example.test"})
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    assert [m["To"] for m in _mails(outbox, before)] == ["known@example.test"]


# --- 2. password reset: signed, expires, works once --------------------------------------------


def _reset_link(client, outbox, address: str) -> str:
    before = _snapshot(outbox)
    client.post("/account/forgot", data={"email": address})
    [mail] = _mails(outbox, before)
    return _link(mail, "/account/reset")


def test_reset_link_sets_a_new_password_once(app, client, outbox):
    user = make_user(email="forgetful@example.test")
    link = _reset_link(client, outbox, user.email)
    assert client.get(link).status_code == 200
    token = link.split("token=", 1)[1]
    response = client.post(
        "/account/reset", data={"token": token, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]
    login(client, user, NEW_PASSWORD)
    db.session.refresh(user)
    assert user.email_verified_at is not None  # the mailed link proved the address
    # the same link a second time: refused, the password stays
    assert app.test_client().get(link).status_code == 400
    again = app.test_client().post(
        "/account/reset",
        data={"token": token, "password": "third-one-99", "confirm": "third-one-99"},
    )
    assert again.status_code == 400
    login(app.test_client(), user, NEW_PASSWORD)


def test_reset_link_expires(app, client, outbox):
    user = make_user()
    with app.test_request_context():
        stale = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=account_tokens.RESET_SALT)
        payload = {"u": user.id, "p": account_tokens.password_fingerprint(user)}
        token = stale.dumps(payload)
    assert client.get(f"/account/reset?token={token}").status_code == 200
    app.config["PASSWORD_RESET_MAX_AGE"] = timedelta(seconds=-1)
    try:
        assert client.get(f"/account/reset?token={token}").status_code == 400
    finally:
        app.config["PASSWORD_RESET_MAX_AGE"] = timedelta(hours=1)
    assert client.get("/account/reset?token=nonsense").status_code == 400


# --- 3. a password change ends other sessions and remember-me cookies --------------------------


def _remember_cookie(client) -> str:
    return client.get_cookie("remember_token").value


def _with_only_remember_cookie(app, value: str):
    other = app.test_client()
    other.set_cookie("remember_token", value)
    return other


@pytest.mark.parametrize("how", ["change", "reset"])
def test_old_remember_me_cookie_stops_working_after_a_password_change(app, client, outbox, how):
    user = make_user()
    login(client, user)
    old_cookie = _remember_cookie(client)
    elsewhere = app.test_client()
    login(elsewhere, user)
    assert _with_only_remember_cookie(app, old_cookie).get("/trips").status_code == 200

    if how == "change":
        response = client.post(
            "/account/password",
            data={"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        )
        assert response.status_code == 302
        assert client.get("/trips").status_code == 200  # this browser goes on
    else:
        link = _reset_link(app.test_client(), outbox, user.email)
        token = link.split("token=", 1)[1]
        app.test_client().post(
            "/account/reset",
            data={"token": token, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        )
        assert client.get("/trips").status_code == 302
    assert _with_only_remember_cookie(app, old_cookie).get("/trips").status_code == 302
    assert elsewhere.get("/trips").status_code == 302


def test_log_out_clears_the_remember_me_cookie(client):
    login(client, make_user())
    assert client.get_cookie("remember_token") is not None
    client.post("/account/logout")
    assert client.get_cookie("remember_token") is None
    assert client.get("/trips").status_code == 302


# --- 5. log-in limits per account and per address, with the real wait ---------------------------


def test_login_limit_per_account_leaves_other_accounts_of_the_address_alone(app, client):
    victim, neighbour = make_user(), make_user()
    for _ in range(10):
        client.post("/account/login", data={"email": victim.email, "password": "wrong-wrong"})
    blocked = client.post(
        "/account/login?lang=en", data={"email": victim.email.upper(), "password": PASSWORD}
    )
    assert blocked.status_code == 429
    page = blocked.get_data(as_text=True)
    assert "wait 15 minutes" in page or "wait 14 minutes" in page
    # the same village address: another account still logs in
    login(client, neighbour)


def test_login_limit_per_address(app, client):
    app.config["LOGIN_LIMIT_ADDRESS"] = "3 per 15 minutes"
    try:
        statuses = [
            client.post(
                "/account/login", data={"email": f"u{i}@example.test", "password": "x-x-x-x-x"}
            ).status_code
            for i in range(4)
        ]
    finally:
        app.config["LOGIN_LIMIT_ADDRESS"] = "50 per 15 minutes"
    assert statuses == [200, 200, 200, 429]


def test_sign_up_limit_per_address_says_how_long_to_wait(app, client):
    app.config["SIGNUP_LIMIT_ADDRESS"] = "1 per hour"
    try:
        _sign_up(client, "one@example.test")
        response = client.post(
            "/account/signup",
            data={"name": "x", "email": "two@example.test", "password": "long-enough-1"},
            headers={"Accept-Language": "en"},
        )
    finally:
        app.config["SIGNUP_LIMIT_ADDRESS"] = "20 per hour"
    assert response.status_code == 429
    assert "60 minutes" in response.get_data(as_text=True)

"""Two-factor sign-in through the site: enrol, log in with a code, recovery codes, limits."""

import re
import time
from datetime import timedelta

import pyotp
import pytest
from cryptography.fernet import Fernet

from marketplace import crypto
from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.models import Role, User
from marketplace.services.accounts import two_factor
from marketplace.services.shared.errors import ServiceError
from tests.factories import PASSWORD, login, make_community, make_user

RECOVERY = re.compile(r"\b[a-z2-9]{5}-[a-z2-9]{5}\b")


def _code(user_id: int, steps_ahead: int = 0) -> str:
    secret = crypto.decrypt(db.session.get(User, user_id).totp_secret)
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


def _enrol(client, user) -> list[str]:
    """Log in, enrol with the app's current code, log out; the recovery codes shown."""
    login(client, user)
    page = client.get("/account/2fa/setup?lang=en")
    assert page.status_code == 200
    assert "<svg" in page.get_data(as_text=True)
    db.session.expire_all()
    response = client.post("/account/2fa/setup?lang=en", data={"code": _code(user.id)})
    assert response.status_code == 200
    codes = RECOVERY.findall(response.get_data(as_text=True))
    assert len(set(codes)) == 10
    client.post("/account/logout")
    return codes


def _password_step(client, user):
    response = client.post("/account/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/2fa")
    return response


def _logged_in(client) -> bool:
    return client.get("/account/password").status_code == 200


@pytest.fixture
def coop():
    return make_user(Role.COOP, community=make_community())


def test_enrolment_keeps_hashes_and_login_then_needs_the_code(client, coop):
    codes = _enrol(client, coop)
    db.session.expire_all()
    stored = db.session.get(User, coop.id)
    assert stored.totp_confirmed_at is not None
    assert not any(code in stored.totp_recovery_hashes for code in codes)

    _password_step(client, coop)
    assert not _logged_in(client)  # the password alone does not log in
    wrong = client.post("/account/2fa?lang=en", data={"code": "000000"})
    assert wrong.status_code == 200
    assert "not right" in wrong.get_data(as_text=True)
    assert not _logged_in(client)

    right = client.post("/account/2fa", data={"code": _code(coop.id, steps_ahead=1)})
    assert right.status_code == 302
    assert _logged_in(client)


def test_a_code_signs_in_only_once(client, coop):
    _enrol(client, coop)
    code = _code(coop.id, steps_ahead=1)
    _password_step(client, coop)
    assert client.post("/account/2fa", data={"code": code}).status_code == 302
    client.post("/account/logout")
    _password_step(client, coop)
    replay = client.post("/account/2fa", data={"code": code})
    assert replay.status_code == 200
    assert not _logged_in(client)


def test_a_recovery_code_works_once(client, coop):
    codes = _enrol(client, coop)
    _password_step(client, coop)
    used = client.post("/account/2fa?lang=en", data={"code": codes[3].upper()})
    assert used.status_code == 302
    assert "9 left" in client.get("/?lang=en").get_data(as_text=True)
    assert _logged_in(client)
    client.post("/account/logout")

    _password_step(client, coop)
    again = client.post("/account/2fa", data={"code": codes[3]})
    assert again.status_code == 200
    assert not _logged_in(client)
    db.session.expire_all()
    assert two_factor.recovery_codes_left(db.session.get(User, coop.id)) == 9


def test_too_many_wrong_codes_are_refused_even_the_right_one(client, coop):
    _enrol(client, coop)
    _password_step(client, coop)
    for _ in range(5):
        assert client.post("/account/2fa", data={"code": "123456"}).status_code == 200
    blocked = client.post("/account/2fa", data={"code": _code(coop.id, steps_ahead=1)})
    assert blocked.status_code == 429
    assert not _logged_in(client)


def test_the_code_step_needs_the_password_step_first(client):
    response = client.get("/account/2fa")
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]
    assert client.post("/account/2fa", data={"code": "123456"}).status_code == 302


def test_the_next_page_survives_the_code_step(client, coop):
    _enrol(client, coop)
    client.post(
        "/account/login?next=/account/password",
        data={"email": coop.email, "password": PASSWORD},
    )
    response = client.post("/account/2fa", data={"code": _code(coop.id, steps_ahead=1)})
    assert response.headers["Location"].endswith("/account/password")


def test_disable_needs_a_right_code(client, coop):
    codes = _enrol(client, coop)
    _password_step(client, coop)
    client.post("/account/2fa", data={"code": _code(coop.id, steps_ahead=1)})
    status = client.get("/account/2fa/setup?lang=en").get_data(as_text=True)
    assert "10 recovery codes left" in status
    refused = client.post("/account/2fa/disable?lang=en", data={"code": "111111"})
    assert refused.status_code == 200 and "not right" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert two_factor.is_enrolled(db.session.get(User, coop.id))

    # right after a log-in the app's code is used up for 30 s; a recovery code proves it too
    turned_off = client.post("/account/2fa/disable", data={"code": codes[0]})
    assert turned_off.status_code == 302
    db.session.expire_all()
    stored = db.session.get(User, coop.id)
    assert stored.totp_secret is None and stored.totp_recovery_hashes is None
    client.post("/account/logout")
    login(client, coop)  # the password alone logs in again
    assert _logged_in(client)


def test_tourists_cannot_enrol(client):
    tourist = make_user()
    login(client, tourist)
    assert client.get("/account/2fa/setup").status_code == 302
    assert db.session.get(User, tourist.id).totp_secret is None


def test_admins_must_enrol_before_admin_pages_when_required(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED_ROLES", ["admin"])
    admin = make_user(Role.ADMIN)
    login(client, admin)  # not enrolled yet: the password logs in, the back office waits
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/2fa/setup")
    assert "needs two-factor" in client.get("/account/2fa/setup?lang=en").get_data(as_text=True)
    db.session.expire_all()
    client.post("/account/2fa/setup", data={"code": _code(admin.id)})
    assert client.get("/admin/").status_code == 200


def test_without_the_setting_admins_are_not_sent_to_enrolment(client, app):
    assert two_factor.required_roles() == set()
    login(client, make_user(Role.ADMIN))
    assert client.get("/admin/").status_code == 200


def test_codes_outside_the_window_are_refused(coop):
    totp = pyotp.TOTP(two_factor.begin_enrolment(coop))
    now = utcnow()
    stale = totp.at(now - timedelta(seconds=90))
    with pytest.raises(ServiceError) as excinfo:
        two_factor.confirm_enrolment(coop, stale, now=now)
    assert excinfo.value.code == "wrong_code"
    late = totp.at(now - timedelta(seconds=30))
    assert len(two_factor.confirm_enrolment(coop, late, now=now)) == 10


@pytest.mark.parametrize("code", ["", "x" * 5000, "12345\x00", "١٢٣٤٥٦"])
def test_odd_codes_are_refused_plainly(client, coop, code):
    _enrol(client, coop)
    _password_step(client, coop)
    response = client.post("/account/2fa", data={"code": code})
    assert response.status_code in (200, 400)
    assert not _logged_in(client)


def test_the_secret_is_encrypted_at_rest(client, coop):
    _enrol(client, coop)
    db.session.expire_all()
    stored = db.session.get(User, coop.id).totp_secret
    assert stored.startswith(crypto.TOKEN_PREFIX)
    assert len(crypto.decrypt(stored)) == 32


def test_a_new_key_takes_the_secret_over_at_the_next_sign_in(client, app, coop, monkeypatch):
    old = crypto.development_key(app.config["SECRET_KEY"]).decode()
    monkeypatch.setitem(app.config, "PASSPORT_KEYS", old)
    _enrol(client, coop)
    new = Fernet.generate_key().decode()
    monkeypatch.setitem(app.config, "PASSPORT_KEYS", f"{new},{old}")
    _password_step(client, coop)
    assert client.post("/account/2fa", data={"code": _code(coop.id, 1)}).status_code == 302
    db.session.expire_all()
    assert Fernet(new.encode()).decrypt(db.session.get(User, coop.id).totp_secret.encode())


def test_a_secret_no_key_opens_leaves_the_recovery_codes(client, app, coop, monkeypatch):
    codes = _enrol(client, coop)
    db.session.expire_all()
    code = _code(coop.id, 1)
    monkeypatch.setitem(app.config, "PASSPORT_KEYS", Fernet.generate_key().decode())
    _password_step(client, coop)
    assert client.post("/account/2fa", data={"code": code}).status_code == 200
    assert client.post("/account/2fa", data={"code": codes[0]}).status_code == 302
    assert client.post("/account/2fa/disable", data={"code": codes[1]}).status_code == 302
    assert "<svg" in client.get("/account/2fa/setup").get_data(as_text=True)  # enrol anew


def test_staff_find_two_factor_from_their_account_page_and_tourists_do_not(client, coop):
    login(client, coop)
    assert "/account/2fa/setup" in client.get("/account/password").get_data(as_text=True)
    client.post("/account/logout")
    tourist = make_user(Role.TOURIST)
    login(client, tourist)
    assert "/account/2fa/setup" not in client.get("/account/password").get_data(as_text=True)

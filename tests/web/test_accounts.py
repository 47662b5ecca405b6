"""Sign-up, log-in, log-out and password change through the site."""

from marketplace.models import Role, User
from tests.factories import PASSWORD, login, make_user


def test_sign_up_creates_the_account_and_asks_to_confirm_the_address(client, app):
    response = client.post(
        "/account/signup",
        data={"name": "Kim Minji", "email": "Minji@Example.test", "password": "long-enough-1"},
    )
    assert response.status_code == 302 and "/account/check-email" in response.headers["Location"]
    user = User.query.filter_by(email="minji@example.test").one()
    assert user.role == Role.TOURIST and user.email_verified_at is None
    assert user.password_hash != "long-enough-1"
    # not logged in until the link in the mail is opened (or the password is typed at log-in)
    assert "Log out" not in client.get("/?lang=en").get_data(as_text=True)


def test_sign_up_with_a_taken_email_answers_as_for_a_new_one(client):
    make_user(email="taken@example.test")
    response = client.post(
        "/account/signup?lang=en",
        data={"name": "X", "email": "taken@example.test", "password": "long-enough-1"},
    )
    assert response.status_code == 302 and "/account/check-email" in response.headers["Location"]
    assert User.query.count() == 1


def test_sign_up_refuses_a_short_password(client):
    response = client.post(
        "/account/signup?lang=en",
        data={"name": "X", "email": "a@example.test", "password": "short"},
    )
    assert response.status_code == 200
    assert User.query.count() == 0


def test_wrong_password_is_refused(client):
    user = make_user()
    response = client.post(
        "/account/login?lang=en", data={"email": user.email, "password": "wrong-password"}
    )
    assert response.status_code == 200
    assert "Email or password is not right" in response.get_data(as_text=True)


def test_login_follows_a_local_next_only(client):
    user = make_user()
    local = client.post(
        "/account/login?next=/account/password",
        data={"email": user.email, "password": PASSWORD},
    )
    assert local.headers["Location"].endswith("/account/password")
    client.post("/account/logout")
    for evil in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        response = client.post(
            "/account/login", data={"email": user.email, "password": PASSWORD, "next": evil}
        )
        assert "evil" not in response.headers["Location"]
        client.post("/account/logout")


def test_login_is_rate_limited(client):
    user = make_user()
    statuses = [
        client.post(
            "/account/login", data={"email": user.email, "password": "nope-nope"}
        ).status_code
        for _ in range(12)
    ]
    assert statuses[:10] == [200] * 10
    assert statuses[-1] == 429


def test_password_change(client):
    user = make_user()
    login(client, user)
    bad = client.post(
        "/account/password?lang=en",
        data={"current": "wrong-one!", "password": "new-password-9", "confirm": "new-password-9"},
    )
    assert "not right" in bad.get_data(as_text=True)
    good = client.post(
        "/account/password",
        data={"current": PASSWORD, "password": "new-password-9", "confirm": "new-password-9"},
    )
    assert good.status_code == 302
    client.post("/account/logout")
    login(client, user, password="new-password-9")


def test_password_page_needs_login(client):
    response = client.get("/account/password")
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]


def test_forms_are_csrf_protected(app):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = app.test_client().post(
            "/account/login", data={"email": "a@example.test", "password": "whatever-1"}
        )
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400

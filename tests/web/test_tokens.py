"""API tokens: listed with name, made and last used, revoked from the account page and the CLI;
a revoked token gets 401."""

from marketplace.extensions import db
from marketplace.models import ApiToken
from marketplace.services.accounts import accounts
from tests.factories import login, make_user


def _auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_the_account_page_lists_tokens_and_revoking_one_gets_401(client):
    user = make_user(email="tam@example.test")
    token = accounts.create_token(user, name="my phone app")
    assert client.get("/api/v1/bookings", headers=_auth(token)).status_code == 200

    login(client, user)
    page = client.get("/account/password?lang=en").get_data(as_text=True)
    assert "/account/tokens" in page
    page = client.get("/account/tokens?lang=en").get_data(as_text=True)
    assert "my phone app" in page and token not in page  # only the hash is kept
    row = db.session.query(ApiToken).one()
    assert f"token-{row.id}" in page and "never" not in page  # it was used just now

    response = client.post(f"/account/tokens/{row.id}/revoke")
    assert response.status_code == 302
    assert client.get("/api/v1/bookings", headers=_auth(token)).status_code == 401
    assert "revoked" in client.get("/account/tokens?lang=en").get_data(as_text=True)


def test_a_token_made_on_the_page_is_shown_once_and_works(client):
    user = make_user()
    login(client, user)
    page = client.post("/account/tokens?lang=en", data={"name": "sync script"}).get_data(
        as_text=True
    )
    row = db.session.query(ApiToken).one()
    assert row.name == "sync script" and row.user_id == user.id
    start = page.index('id="new-token"')
    token = page[page.rindex('value="', 0, start) + 7 :].split('"', 1)[0]
    assert client.get("/api/v1/bookings", headers=_auth(token)).status_code == 200
    assert token not in client.get("/account/tokens").get_data(as_text=True)
    assert client.post("/account/tokens", data={"name": "  "}).status_code == 302
    assert db.session.query(ApiToken).count() == 1


def test_nobody_revokes_another_accounts_token(client):
    owner, other = make_user(), make_user()
    token = accounts.create_token(owner, name="owner's")
    row = db.session.query(ApiToken).one()
    login(client, other)
    assert client.post(f"/account/tokens/{row.id}/revoke").status_code == 404
    assert client.post("/account/tokens/99999999999/revoke").status_code == 404
    assert "owner&#39;s" not in client.get("/account/tokens").get_data(as_text=True)
    assert client.get("/api/v1/bookings", headers=_auth(token)).status_code == 200


def test_the_token_page_needs_a_login(client):
    response = client.get("/account/tokens")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]
    assert client.post("/account/tokens/1/revoke").status_code == 302


def test_the_cli_lists_and_revokes_tokens(runner, client):
    user = make_user(email="hoa@example.test")
    token = accounts.create_token(user, name="kiosk")
    row_id = db.session.query(ApiToken).one().id

    result = runner.invoke(args=["tokens", "list", "hoa@example.test"])
    assert result.exit_code == 0, result.output
    assert f"{row_id}" in result.output and "kiosk" in result.output and "active" in result.output
    assert token not in result.output

    result = runner.invoke(args=["tokens", "revoke", "hoa@example.test", str(row_id)])
    assert result.exit_code == 0, result.output
    assert client.get("/api/v1/bookings", headers=_auth(token)).status_code == 401
    result = runner.invoke(args=["tokens", "list", "hoa@example.test"])
    assert "revoked" in result.output

    other = make_user(email="other@example.test")
    assert runner.invoke(args=["tokens", "revoke", other.email, str(row_id)]).exit_code != 0
    assert runner.invoke(args=["tokens", "list", "nobody@example.test"]).exit_code != 0

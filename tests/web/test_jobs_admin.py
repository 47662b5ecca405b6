"""The admin's jobs page: parked and waiting outbox messages, and a Retry button."""

from datetime import timedelta

import pytest

from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.models import OutboxMessage, OutboxStatus, Role
from marketplace.services.shared import outbox
from tests.factories import login, make_community, make_user

state = {"fixed": False}


@outbox.handles("test.admin_refund")
def admin_refund(payload: dict, message_id: int) -> None:
    if not state["fixed"]:
        raise RuntimeError("card network unreachable")


@pytest.fixture(autouse=True)
def _broken():
    state["fixed"] = False


def _parked_message(app) -> int:
    saved, app.config["OUTBOX_MAX_ATTEMPTS"] = app.config.get("OUTBOX_MAX_ATTEMPTS"), 2
    try:
        message = outbox.emit("test.admin_refund", {"booking": "HL-1"}, key="refund:HL-1")
        db.session.commit()
        now = utcnow()
        assert outbox.deliver(message.id, now=now).result == "failed"
        assert outbox.deliver(message.id, now=now + timedelta(hours=1)).result == "parked"
    finally:
        app.config["OUTBOX_MAX_ATTEMPTS"] = saved
    return message.id


@pytest.mark.parametrize(
    "role, status", [(Role.ADMIN, 200), (Role.COOP, 403), (Role.HOST, 403), (Role.TOURIST, 403)]
)
def test_only_admins_see_jobs(client, role, status):
    community = make_community()
    user = make_user(role, community=community if role in (Role.COOP, Role.HOST) else None)
    login(client, user)
    assert client.get("/admin/jobs").status_code == status
    retry = client.post("/admin/jobs/1/retry").status_code
    assert retry == (404 if role == Role.ADMIN else 403)  # admins learn there is no job 1


def test_anonymous_is_sent_to_log_in(client):
    assert client.get("/admin/jobs").status_code == 302


def test_parked_job_is_listed_and_retried(app, client):
    message_id = _parked_message(app)
    waiting = outbox.emit("test.admin_refund", {"booking": "HL-2"})
    db.session.commit()
    login(client, make_user(Role.ADMIN))

    page = client.get("/admin/jobs").get_data(as_text=True)
    assert "test.admin_refund" in page and "card network unreachable" in page
    assert f'action="/admin/jobs/{message_id}/retry"' in page
    assert f'action="/admin/jobs/{waiting.id}/retry"' not in page  # only parked ones
    assert 'name="csrf_token"' in page

    state["fixed"] = True
    response = client.post(f"/admin/jobs/{message_id}/retry", follow_redirects=True)
    assert response.status_code == 200 and response.request.path == "/admin/jobs"
    db.session.expire_all()
    message = db.session.get(OutboxMessage, message_id)
    assert message.status == OutboxStatus.DONE  # tests run the queue at once


def test_retrying_a_job_not_parked_is_refused(app, client):
    message = outbox.emit("test.admin_refund", {})
    db.session.commit()
    login(client, make_user(Role.ADMIN))
    client.post(f"/admin/jobs/{message.id}/retry")
    db.session.expire_all()
    message = db.session.get(OutboxMessage, message.id)
    assert message.status == OutboxStatus.PENDING and message.attempts == 0
    assert client.post("/admin/jobs/9999/retry").status_code == 404


def test_retry_needs_the_csrf_token(app, client, monkeypatch):
    message_id = _parked_message(app)
    login(client, make_user(Role.ADMIN))
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.post(f"/admin/jobs/{message_id}/retry").status_code == 400
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message_id).status == OutboxStatus.PARKED

"""A community's commission, fund rate and bank account change only when a second person, an
admin who did not ask, approves; each step is audited and mailed to the cooperative and admins."""

import email
import email.policy
from pathlib import Path

import pytest

from marketplace.extensions import db
from marketplace.models import AuditEntry, Community, Role, SettingChange, SettingChangeStatus
from tests.factories import login, make_community, make_user

FORM = {
    "commission_percent": "0",
    "fund_percent": "3",
    "bank_bin": "970415",
    "bank_account_number": "9999 8888 77",
    "bank_account_name": "nguoi la",
}


def _mails(outbox, before):
    return [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
        for p in sorted(set(Path(outbox).glob("*.eml")) - before)
    ]


def _settings(community_id):
    db.session.expire_all()
    c = db.session.get(Community, community_id)
    return (c.commission_rate_bp, c.community_fund_rate_bp, c.bank_bin, c.bank_account_number)


@pytest.fixture
def people(app):
    village = make_community()
    other = make_community()
    return {
        "village": village,
        "coop": make_user(Role.COOP, community=village, name="Coop Lan"),
        "other_coop": make_user(Role.COOP, community=other),
        "admin": make_user(Role.ADMIN, name="Admin Minh"),
        "admin2": make_user(Role.ADMIN, name="Admin Hoa"),
        "host": make_user(Role.HOST, community=village),
    }


def test_a_cooperative_change_waits_and_an_admin_approves_it(client, people, outbox):
    village, coop, admin = people["village"], people["coop"], people["admin"]
    before_settings = _settings(village.id)
    before_mail = set(Path(outbox).glob("*.eml"))
    login(client, coop)
    response = client.post(f"/admin/communities/{village.id}", data=FORM)
    assert response.status_code == 302
    assert _settings(village.id) == before_settings  # not applied
    change = db.session.query(SettingChange).one()
    assert change.status == SettingChangeStatus.PENDING and change.requested_by_id == coop.id
    assert change.old_values["commission_rate_bp"] == before_settings[0]
    assert change.new_values["bank_account_number"] == "9999888877"
    page = client.get(f"/admin/communities/{village.id}").get_data(as_text=True)
    assert 'id="pending-change"' in page and "decision" not in page  # coop cannot decide
    # the cooperative cannot approve, nor ask for a second change meanwhile
    assert (
        client.post(f"/admin/setting-changes/{change.id}", data={"decision": "approve"}).status_code
        == 403
    )
    response = client.post(f"/admin/communities/{village.id}", data={**FORM, "fund_percent": "4"})
    assert response.status_code == 400
    assert _settings(village.id) == before_settings

    mails = _mails(outbox, before_mail)
    to = sorted(m["To"] for m in mails)
    assert to == sorted([coop.email, admin.email, people["admin2"].email])  # not host, not B
    body = mails[0].get_body(("plain",)).get_content()
    assert "9999888877" in body and "Coop Lan" in body

    client.post("/account/logout")
    login(client, admin)
    page = client.get(f"/admin/communities/{village.id}").get_data(as_text=True)
    assert 'value="approve"' in page
    before_mail = set(Path(outbox).glob("*.eml"))
    response = client.post(
        f"/admin/setting-changes/{change.id}",
        data={"decision": "approve", "community_id": str(village.id)},
    )
    assert response.status_code == 302
    assert _settings(village.id) == (0, 300, "970415", "9999888877")
    db.session.expire_all()
    change = db.session.get(SettingChange, change.id)
    assert change.status == SettingChangeStatus.APPROVED and change.decided_by_id == admin.id
    assert sorted(m["To"] for m in _mails(outbox, before_mail)) == to
    actions = {
        (e.subject_type, e.action)
        for e in db.session.query(AuditEntry).filter(
            AuditEntry.subject_type.in_(["settingchange", "community"])
        )
    }
    assert {("settingchange", "requested"), ("settingchange", "status")} <= actions
    assert ("community", "settings") in actions
    # deciding again changes nothing
    response = client.post(f"/admin/setting-changes/{change.id}", data={"decision": "reject"})
    assert response.status_code == 302
    assert _settings(village.id) == (0, 300, "970415", "9999888877")


def test_the_requester_cannot_approve_their_own_change(client, people, outbox):
    village, admin = people["village"], people["admin"]
    before_settings = _settings(village.id)
    login(client, admin)
    assert client.post(f"/admin/communities/{village.id}", data=FORM).status_code == 302
    change = db.session.query(SettingChange).one()
    page = client.get(f"/admin/communities/{village.id}").get_data(as_text=True)
    assert 'value="approve"' not in page
    response = client.post(
        f"/admin/setting-changes/{change.id}", data={"decision": "approve"}, follow_redirects=True
    )
    assert response.status_code == 200
    assert _settings(village.id) == before_settings
    db.session.expire_all()
    assert db.session.get(SettingChange, change.id).status == SettingChangeStatus.PENDING

    client.post("/account/logout")
    login(client, people["admin2"])
    before_mail = set(Path(outbox).glob("*.eml"))
    response = client.post(
        f"/admin/setting-changes/{change.id}", data={"decision": "reject", "note": "unknown bank"}
    )
    assert response.status_code == 302
    assert _settings(village.id) == before_settings
    db.session.expire_all()
    assert db.session.get(SettingChange, change.id).status == SettingChangeStatus.REJECTED
    mails = _mails(outbox, before_mail)
    assert len(mails) == 3 and "unknown bank" in mails[0].get_body(("plain",)).get_content()


def test_other_villages_and_bad_input(client, people):
    village = people["village"]
    login(client, people["other_coop"])
    assert client.post(f"/admin/communities/{village.id}", data=FORM).status_code == 404
    assert client.post(
        "/admin/setting-changes/99999", data={"decision": "approve"}
    ).status_code in (
        403,
        404,
    )
    client.post("/account/logout")
    login(client, people["admin"])
    assert (
        client.post("/admin/setting-changes/99999", data={"decision": "approve"}).status_code == 404
    )
    assert client.post("/admin/setting-changes/1", data={"decision": "maybe"}).status_code == 400
    assert client.post("/admin/setting-changes/99999999999", data={}).status_code == 404
    response = client.post(
        f"/admin/communities/{village.id}", data={**FORM, "commission_percent": "nan"}
    )
    assert response.status_code == 400
    assert db.session.query(SettingChange).count() == 0

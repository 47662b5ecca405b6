"""The host hears of every decision on a listing, with the cooperative's reason, in their language."""

import email
import email.policy
from pathlib import Path

from marketplace.extensions import db
from marketplace.models import Listing, ListingStatus, Role
from tests.factories import login, make_community, make_listing, make_user


def _mails_to(outbox, before: set, address: str) -> list:
    paths = sorted(set(Path(outbox).glob("*.eml")) - before)
    messages = [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in paths
    ]
    return [m for m in messages if m["To"] == address]


def _setup(client, status=ListingStatus.PENDING, host_locale="en"):
    village = make_community()
    host = make_user(Role.HOST, community=village)
    host.locale = host_locale
    listing = make_listing(community=village, host=host, status=status, title="Stilt house")
    db.session.commit()
    login(client, make_user(Role.COOP, community=village))
    return host, listing


def _status(listing_id: int) -> ListingStatus:
    db.session.expire_all()
    return db.session.get(Listing, listing_id).status


def test_approval_mails_the_host(client, outbox):
    host, listing = _setup(client)
    before = set(Path(outbox).glob("*.eml"))
    client.post(f"/admin/approvals/{listing.id}/approve", data={"note": "Lovely photos"})
    assert _status(listing.id) == ListingStatus.PUBLISHED
    [mail] = _mails_to(outbox, before, host.email)
    assert "Stilt house is published" in mail["Subject"]
    body = mail.get_body(("plain",)).get_content()
    assert "Lovely photos" in body and f"/host/listings/{listing.id}" in body


def test_rejection_mails_the_reason(client, outbox):
    host, listing = _setup(client)
    before = set(Path(outbox).glob("*.eml"))
    client.post(f"/admin/approvals/{listing.id}/reject", data={"note": "Add a bathroom photo"})
    assert _status(listing.id) == ListingStatus.DRAFT
    [mail] = _mails_to(outbox, before, host.email)
    assert "needs changes" in mail["Subject"]
    assert "Reason: Add a bathroom photo" in mail.get_body(("plain",)).get_content()


def test_suspension_needs_a_reason_and_mails_it(client, outbox):
    host, listing = _setup(client, status=ListingStatus.PUBLISHED)
    before = set(Path(outbox).glob("*.eml"))
    refused = client.post(f"/admin/approvals/{listing.id}/suspend", data={"note": "  "})
    assert refused.status_code in (302, 400)
    assert _status(listing.id) == ListingStatus.PUBLISHED
    assert _mails_to(outbox, before, host.email) == []

    client.post(f"/admin/approvals/{listing.id}/suspend", data={"note": "Fire safety check due"})
    assert _status(listing.id) == ListingStatus.SUSPENDED
    [mail] = _mails_to(outbox, before, host.email)
    assert "is suspended" in mail["Subject"]
    assert "Reason: Fire safety check due" in mail.get_body(("plain",)).get_content()


def test_the_mail_speaks_the_hosts_language(client, outbox):
    host, listing = _setup(client, host_locale="vi")
    before = set(Path(outbox).glob("*.eml"))
    client.post(f"/admin/approvals/{listing.id}/approve")
    [mail] = _mails_to(outbox, before, host.email)
    assert mail["Content-Language"] == "vi"


def test_the_approvals_page_asks_before_suspending(client):
    _, listing = _setup(client, status=ListingStatus.PUBLISHED)
    page = client.get("/admin/approvals").get_data(as_text=True)
    form = page[page.index(f"/admin/approvals/{listing.id}/suspend") :]
    assert "data-confirm=" in form[:300] and 'name="note" required' in form[:600]
    assert 'class="cards"' in page

"""The scanner page, its offline pieces, and the printable guest manifest."""

from datetime import UTC, datetime, timedelta

import pytest

from marketplace.clock import business_today
from marketplace.models import Role
from marketplace.services.booking import tickets
from marketplace.services.checkin import checkin
from tests.factories import login, make_community, make_listing, make_ticketed_booking, make_user


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.GUIDE, 200), (Role.HOST, 200), (Role.COOP, 200), (Role.ADMIN, 200), (Role.TOURIST, 403)],
)
def test_the_scanner_is_for_guides_hosts_and_staff(client, role, status):
    community = make_community()
    make_listing(community=community, title="Nhà sàn Bà Hoa")
    login(client, make_user(role, community=community))
    response = client.get("/checkin?lang=en")
    assert response.status_code == status
    if status == 200:
        page = response.get_data(as_text=True)
        assert 'name="csrf-token"' in page and "scanner.js" in page
        if role != Role.ADMIN:  # admins see the listings with tickets today
            assert "Nhà sàn Bà Hoa" in page


def test_the_scanner_needs_a_login(client):
    response = client.get("/checkin")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_the_service_worker_keeps_the_page_and_its_scripts(client):
    worker = client.get("/checkin/sw.js")
    body = worker.get_data(as_text=True)
    assert worker.mimetype == "text/javascript"
    assert worker.headers["Service-Worker-Allowed"] == "/checkin"
    for path in (
        "/static/js/scanner.js",
        "/static/vendor/jsqr/jsQR.js",
        "/static/js/ticket-verify.js",
    ):
        assert path in body
    manifest = client.get("/checkin/manifest.webmanifest").get_json(force=True)
    assert manifest["start_url"] == "/checkin" and manifest["display"] == "standalone"


def test_the_host_prints_the_guest_list_with_arrivals_and_conflicts(client):
    community = make_community()
    listing = make_listing(community=community, units=5, max_guests=4)
    guide = make_user(Role.GUIDE, community=community)
    # from yesterday, so a scan ten minutes ago counts even just after midnight
    arrived = make_ticketed_booking(
        listing,
        contact_name="Anna Müller",
        guests=2,
        check_in=business_today() - timedelta(days=1),
        nights=3,
    )
    make_ticketed_booking(listing, contact_name="Rahul Verma", guests=4)
    secret = tickets.tickets_of(arrived)[0].secret
    checkin.perform_checkin(secret, guide, device_id="phone-a")
    earlier = datetime.now(UTC) - timedelta(minutes=10)
    checkin.perform_checkin(secret, guide, scanned_at=earlier, device_id="phone-b")
    login(client, listing.host)
    page = client.get(f"/host/manifest?listing_id={listing.id}&lang=en").get_data(as_text=True)
    assert "Anna Müller" in page and "Rahul Verma" in page
    assert "Expected: <strong>6</strong>" in page and "Arrived: <strong>2</strong>" in page
    assert f"Two phones checked in {arrived.reference}" in page


def test_another_hosts_manifest_is_not_found_and_a_bad_date_is_explained(client):
    listing = make_listing()
    other_host = make_user(Role.HOST, community=listing.community)
    login(client, other_host)
    assert client.get(f"/host/manifest?listing_id={listing.id}").status_code == 404
    response = client.get("/host/manifest?date=31-12-2026&lang=en")
    assert response.status_code == 200 and 'aria-invalid="true"' in response.get_data(as_text=True)


def _selected(page: str) -> str | None:
    import re

    match = re.search(r'<option value="(\d+)" selected>', page)
    return match.group(1) if match else None


def test_the_scanner_opens_on_the_guides_departure_else_the_first_place_with_arrivals(client):
    from marketplace.models import ListingKind
    from tests.factories import make_departure

    community = make_community()
    quiet = make_listing(community=community, title="Nhà yên tĩnh")
    busy = make_listing(community=community, units=3, title="Nhà đông khách")
    tour = make_listing(ListingKind.TOUR, community=community, title="Thác Bản Giốc")
    make_ticketed_booking(busy)
    guide = make_user(Role.GUIDE, community=community)
    other = make_user(Role.GUIDE, community=community)
    make_departure(tour, day=business_today(), guide=guide)
    make_departure(tour, day=business_today() + timedelta(days=1), guide=other)

    login(client, guide)
    assert _selected(client.get("/checkin").get_data(as_text=True)) == str(tour.id)
    # a listing named in the address wins; an unknown one does not
    page = client.get(f"/checkin?listing_id={quiet.id}").get_data(as_text=True)
    assert _selected(page) == str(quiet.id)
    assert _selected(client.get("/checkin?listing_id=999999").get_data(as_text=True)) == str(
        tour.id
    )
    client.post("/account/logout")
    login(client, other)  # departs tomorrow: today the place with arrivals
    assert _selected(client.get("/checkin").get_data(as_text=True)) == str(busy.id)


def test_the_manifest_carries_every_place_and_the_guest_names_for_search(client):
    from tests.factories import bearer

    community = make_community()
    first = make_listing(community=community, units=3)
    second = make_listing(community=community, units=3)
    make_ticketed_booking(first, contact_name="Kim Min-jun")
    make_ticketed_booking(second, contact_name="Trần Văn Bình")
    guide = make_user(Role.GUIDE, community=community)
    body = client.get("/api/v1/checkins/manifest", headers=bearer(guide)).get_json()
    assert {row["listing_id"] for row in body["tickets"]} == {first.id, second.id}
    assert all(isinstance(row["guest_names"], list) for row in body["tickets"])
    tomorrow = (business_today() + timedelta(days=1)).isoformat()
    later = client.get(f"/api/v1/checkins/manifest?date={tomorrow}", headers=bearer(guide))
    assert later.status_code == 200 and later.get_json()["date"] == tomorrow

"""Every back-office page is reachable from the menus a host or the cooperative already sees."""

import pytest

from marketplace.extensions import db
from marketplace.models import Role
from tests.factories import login, make_community, make_user

HOST_PAGES = ["/host/payments", "/host/statement", "/host/manifest", "/host/bookings"]
COOP_PAGES = ["/admin/ledger", "/host/payments", "/admin/reconciliation", "/admin/approvals"]


@pytest.mark.parametrize(
    "role, start, pages",
    [
        (Role.HOST, "/host/", HOST_PAGES),
        (Role.COOP, "/admin/", COOP_PAGES),
        (Role.ADMIN, "/admin/", [*COOP_PAGES, "/admin/rates", "/admin/jobs"]),
    ],
)
def test_menus_link_every_page(client, role, start, pages):
    user = make_user(role, community=make_community())
    db.session.commit()
    login(client, user)
    menu = client.get(start, follow_redirects=True).get_data(as_text=True)
    for page in pages:
        assert f'href="{page}' in menu, f"{page} is not linked from {start}"
        response = client.get(page)
        assert response.status_code == 200, page
        assert 'class="bo-tabs"' in response.get_data(as_text=True), f"{page} has no menu"

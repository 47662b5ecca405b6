"""Who may admit a ticket: staff of its community and admins; the right is read with the ticket."""

import pytest

from marketplace.models import Role
from marketplace.services.booking import tickets
from marketplace.services.checkin import checkin
from tests.factories import make_community, make_listing, make_ticketed_booking, make_user


@pytest.mark.parametrize(
    ("role", "own_community", "expected"),
    [
        (Role.ADMIN, False, "ok"),
        (Role.HOST, True, "ok"),
        (Role.COOP, True, "ok"),
        (Role.COOP, False, "forbidden"),
        (Role.GUIDE, False, "forbidden"),
        (Role.TOURIST, True, "forbidden"),
    ],
)
def test_the_scanners_right_to_the_tickets_community(app, role, own_community, expected):
    community = make_community()
    listing = make_listing(community=community, units=3)
    secret = tickets.tickets_of(make_ticketed_booking(listing))[0].secret
    scanner = make_user(role, community=community if own_community else make_community())
    result = checkin.perform_checkin(secret, scanner)
    assert result.result == expected
    assert (result.to_json()["booking"] is None) == (expected == "forbidden")

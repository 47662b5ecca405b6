"""What one scan through the API costs the database: a ceiling on its SQL statements, so that a
lazy load per ticket, a lock taken for a repeat scan or an answer read again after the commit
shows up here before it shows up at the gate."""

from marketplace.extensions import db
from marketplace.models import Role
from marketplace.services.booking import tickets
from tests.factories import bearer, make_community, make_listing, make_ticketed_booking, make_user
from tests.sql_statements import statements

#: the booking's lock (taken because the ticket is not checked in yet); the ticket with
#: everything judged on, read under it; the check-in, the booking's move to checked in and its
#: audit entry; the scan log
FIRST_SCAN = 6
#: the lock's statement (it finds the ticket checked in and locks nothing); the ticket with
#: everything judged on; the scan log
REPEAT_SCAN = 3


def _without_token(statement: str) -> bool:
    # the bearer token's own statements are counted where it is checked
    return "api_token" not in statement and not statement.lstrip().upper().startswith("BEGIN")


def test_a_scan_and_a_repeat_scan_stay_within_their_statements(client):
    community = make_community()
    listing = make_listing(community=community, units=3)
    guide = make_user(Role.GUIDE, community=community)
    secret = tickets.tickets_of(make_ticketed_booking(listing))[0].secret
    headers = bearer(guide)
    db.session.commit()
    with statements(_without_token) as first:
        body = client.post("/api/v1/checkins", json={"secret": secret}, headers=headers).get_json()
    assert body["result"] == "ok" and body["booking"]["status"] == "checked_in"
    with statements(_without_token) as repeat:
        body = client.post("/api/v1/checkins", json={"secret": secret}, headers=headers).get_json()
    assert body["result"] == "already_checked_in" and body["checked_in_by"] == guide.name
    assert len(first) <= FIRST_SCAN, "\n".join(first)
    assert len(repeat) <= REPEAT_SCAN, "\n".join(repeat)

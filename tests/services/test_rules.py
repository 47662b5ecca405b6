"""One rule, one function: the pure rules, by example and by property (Hypothesis).

Rooms a party needs, the departure cut-off, the reference format (Python and the scanner's
JavaScript), paid / due / refundable, who may act on a booking, and the ticket and listing
transition tables.
"""

import json
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marketplace.extensions import db
from marketplace.models import (
    AuditEntry,
    BookingStatus,
    CancellationPolicy,
    DepartureStatus,
    ListingStatus,
    PaymentMethod,
    PaymentStatus,
    Role,
    TicketStatus,
)
from marketplace.models.listing import LISTING_TRANSITIONS
from marketplace.models.states import Outcome, judge
from marketplace.models.ticket import TICKET_TRANSITIONS
from marketplace.services.booking import booking_access, tickets
from marketplace.services.catalogue import booking_rules
from marketplace.services.catalogue.listing_review import move_listing
from marketplace.services.payments import money_rules
from marketplace.services.shared import references
from tests.factories import make_booking, make_listing, make_user

ROOT = Path(__file__).resolve().parents[2]
NODE = shutil.which("node")
DB_SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# --- rooms a party needs ------------------------------------------------------------------------


@given(st.integers(1, 500), st.integers(1, 50))
def test_rooms_needed_is_the_fewest_units_that_sleep_the_party(guests, sleeps):
    needed = booking_rules.rooms_needed(guests, sleeps)
    assert needed * sleeps >= guests > (needed - 1) * sleeps


@given(st.integers(1, 500), st.integers(1, 60), st.integers(1, 50))
def test_a_party_fits_exactly_when_it_has_the_rooms_it_needs(guests, rooms, sleeps):
    assert booking_rules.party_fits(guests, rooms, sleeps) == (rooms * sleeps >= guests)
    assert booking_rules.party_fits(guests, rooms, sleeps) == (
        rooms >= booking_rules.rooms_needed(guests, sleeps)
    )


# --- the departure cut-off ----------------------------------------------------------------------

instants = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
)


@given(instants, st.integers(-3 * 24 * 60, 3 * 24 * 60), st.sampled_from(list(DepartureStatus)))
def test_a_departure_is_open_until_its_cutoff_instant(now, minutes_ahead, status):
    departure = SimpleNamespace(starts_at=now + timedelta(minutes=minutes_ahead), status=status)
    expected = status == DepartureStatus.SCHEDULED and (
        timedelta(minutes=minutes_ahead) > booking_rules.BOOKING_CUTOFF
    )
    assert booking_rules.departure_open(departure, now) == expected


def test_a_departure_that_left_this_morning_is_closed_the_same_afternoon():
    morning = datetime(2026, 3, 7, 0, 30, tzinfo=UTC)  # 07:30 in Vietnam
    departure = SimpleNamespace(starts_at=morning, status=DepartureStatus.SCHEDULED)
    assert not booking_rules.departure_open(departure, morning + timedelta(hours=7))
    assert booking_rules.departure_open(departure, morning - timedelta(hours=2))


# --- the reference format -----------------------------------------------------------------------

prefixes = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2)
codes = st.text(
    alphabet=references.ALPHABET, min_size=references.LENGTH, max_size=references.LENGTH
)


@given(prefixes, codes, st.sampled_from(["-", "", " ", " - "]), st.booleans())
def test_a_reference_survives_how_people_type_it(prefix, code, dash, lower):
    reference = references.format_reference(prefix, code)
    typed = f"{prefix}{dash}{code}"
    typed = typed.lower() if lower else typed
    assert references.REFERENCE_RE.match(reference)
    assert references.normalize_reference(typed) == reference
    assert references.is_reference(typed)
    if dash != " - ":  # a bank memo holds at most one dash or space in a reference
        assert references.find_references(f"CT tu 0123 {typed} nguyen van an") == [reference]


@given(prefixes, codes, st.sampled_from("01ILO"), st.integers(0, references.LENGTH - 1))
def test_misreadable_characters_are_never_a_reference(prefix, code, bad, at):
    code = code[:at] + bad + code[at + 1 :]
    assert not references.is_reference(f"{prefix}-{code}")


def test_the_scanner_rule_is_the_pattern_itself():
    rule = references.scanner_rule()
    assert rule["pattern"] == references.PATTERN
    assert rule["prefix_length"] + rule["length"] == 8


@pytest.mark.skipif(NODE is None, reason="node is not installed")
@settings(max_examples=1, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.builds(
                lambda p, c, d: f"{p}{d}{c}", prefixes, codes, st.sampled_from(["-", " ", ""])
            ),
            st.text(alphabet="abcxyzHLMN0123456789- .ĐđÖß", max_size=20),
        ),
        min_size=200,
        max_size=200,
    )
)
def test_the_scanner_reads_typed_text_as_python_does(texts):
    """static/js/reference.js, fed the manifest's rule, agrees with references.is_reference."""
    module = (ROOT / "static" / "js" / "reference.js").as_uri()
    driver = (
        f'import {{ readReference }} from "{module}";\n'
        'import { readFileSync } from "node:fs";\n'
        'const input = JSON.parse(readFileSync(0, "utf8"));\n'
        "console.log(JSON.stringify(input.texts.map((t) => readReference(t, input.rule))));\n"
    )
    out = subprocess.run(
        [NODE, "--input-type=module", "-e", driver],
        input=json.dumps({"texts": texts, "rule": references.scanner_rule()}),
        capture_output=True,
        text=True,
        check=True,
    )
    expected = [
        references.normalize_reference(t) if references.is_reference(t) else None for t in texts
    ]
    assert json.loads(out.stdout) == expected


# --- paid, due, refundable ----------------------------------------------------------------------

payment_lists = st.lists(
    st.builds(
        lambda status, amount, back: SimpleNamespace(
            status=status, amount=amount, amount_refunded=min(back, amount)
        ),
        st.sampled_from(list(PaymentStatus)),
        st.integers(0, 5_000_000),
        st.integers(0, 5_000_000),
    ),
    max_size=4,
)


def _booking(total, pays, method=None, policy=CancellationPolicy.MODERATE, first_day=None):
    listing = SimpleNamespace(cancellation_policy=policy)
    item = SimpleNamespace(listing=listing, check_in=first_day or date(2026, 6, 1), subtotal=total)
    return SimpleNamespace(total=total, payments=pays, payment_method=method, items=[item])


@given(st.integers(0, 10_000_000), payment_lists, st.sampled_from([None, *PaymentMethod]))
def test_paid_and_due_add_up(total, pays, method):
    booking = _booking(total, pays, method and method.value)
    paid = money_rules.paid(booking)
    assert paid == sum(
        p.amount - p.amount_refunded for p in pays if p.status == PaymentStatus.SUCCEEDED
    )
    assert money_rules.due(booking) == max(total - paid, 0)
    assert money_rules.due(booking) - money_rules.overpaid(booking) == total - paid
    arrival = money_rules.due_at_arrival(booking)
    assert arrival == (money_rules.due(booking) if method == PaymentMethod.PAY_AT_ARRIVAL else 0)


@given(
    st.integers(1, 10_000_000),
    st.integers(0, 10_000_000),
    st.sampled_from(list(CancellationPolicy)),
    st.integers(-5, 40),
    st.integers(0, 40),
)
def test_a_refund_never_exceeds_what_was_paid_nor_grows_as_the_day_nears(
    total, paid, policy, days_left, later
):
    first_day = date(2026, 6, 1)
    booking = _booking(total, [], policy=policy, first_day=first_day)
    today = first_day - timedelta(days=days_left)
    share = money_rules.refund_share(booking, paid, by_host=False, today=today)
    assert 0 <= share <= paid
    closer = today + timedelta(days=later)
    assert money_rules.refund_share(booking, paid, by_host=False, today=closer) <= share
    assert money_rules.refund_share(booking, paid, by_host=True, today=today) == paid


def test_the_old_names_are_the_same_rule():

    booking = make_booking(status=BookingStatus.PENDING_PAYMENT)
    assert money_rules.paid(booking) == money_rules.paid(booking) == 0
    assert money_rules.due(booking) == booking.total


# --- who may act on a booking -------------------------------------------------------------------


def test_the_access_matrix():
    booking = make_booking(status=BookingStatus.CONFIRMED)
    listing = booking.items[0].listing
    community = listing.community
    cases = {
        "tourist": (None, dict(view=False, manage=False, side=None)),
        "host": (listing.host, dict(view=True, manage=True, side="provider")),
        "coop": (
            make_user(Role.COOP, community=community),
            dict(view=True, manage=True, side="provider"),
        ),
        "admin": (make_user(Role.ADMIN), dict(view=True, manage=True, side="provider")),
        "guide": (
            make_user(Role.GUIDE, community=community),
            dict(view=False, manage=False, side=None),
        ),
        "other host": (make_user(Role.HOST), dict(view=False, manage=False, side=None)),
    }
    owner = make_user()
    booking.tourist_id = owner.id
    db.session.commit()
    cases["tourist"] = (owner, dict(view=True, manage=False, side="traveller"))
    for name, (user, want) in cases.items():
        got = dict(
            view=booking_access.can_view(user, booking),
            manage=booking_access.can_manage(user, booking),
            side=booking_access.cancel_side(user, booking),
        )
        assert got == want, name
        assert booking_access.can_cancel(user, booking) == (want["side"] is not None), name
    assert booking_access.cancel_side(None, booking, holds_link=True) == "traveller"
    assert booking_access.can_scan(cases["guide"][0], community.id)
    assert not booking_access.can_scan(cases["guide"][0], make_listing().community_id)
    assert not booking_access.can_scan(owner)
    assert booking_access.can_print(listing.host, listing)
    assert not booking_access.can_print(cases["guide"][0], listing)


def test_the_visible_list_is_can_view():
    from marketplace.services.booking.booking_queries import bookings_visible_to

    booking = make_booking()
    other = make_booking()
    listing = booking.items[0].listing
    for user in (listing.host, make_user(Role.COOP, community=listing.community), make_user()):
        visible = {b.id for b in bookings_visible_to(user)}
        for b in (booking, other):
            assert (b.id in visible) == booking_access.can_view(user, b)


# --- transition tables --------------------------------------------------------------------------


@pytest.mark.parametrize("table", [TICKET_TRANSITIONS, LISTING_TRANSITIONS])
def test_every_status_has_a_row_and_no_move_stays_put(table):
    statuses = set(type(next(iter(table))))
    assert set(table) == statuses
    for current, allowed in table.items():
        assert current not in allowed and allowed <= statuses


@DB_SETTINGS
@given(st.sampled_from(list(ListingStatus)), st.sampled_from(list(ListingStatus)))
def test_a_listing_moves_only_as_its_table_says_and_each_move_is_audited(start, to):
    listing = make_listing(status=start)
    coop = make_user(Role.COOP, community=listing.community)
    before = db.session.query(AuditEntry).count()
    outcome = move_listing(listing, to, actor=coop, action="test")
    db.session.commit()
    assert outcome == judge(LISTING_TRANSITIONS, start, to)
    assert listing.status == (to if outcome == Outcome.APPLIED else start)
    assert db.session.query(AuditEntry).count() - before == (outcome == Outcome.APPLIED)


def test_a_ticket_is_voided_once_and_made_valid_again_by_a_reissue():
    booking = make_booking()
    ticket = tickets.tickets_of(booking)[0]
    assert tickets.move_ticket(ticket, TicketStatus.VOID, action="voided") == Outcome.APPLIED
    assert tickets.move_ticket(ticket, TicketStatus.VOID, action="voided") == Outcome.ALREADY
    assert tickets.void_for_booking(booking) == []
    before = db.session.query(AuditEntry).filter_by(action="reissued").count()
    tickets.reissue_for_item(ticket.item)
    db.session.commit()
    assert ticket.status == TicketStatus.VALID
    assert db.session.query(AuditEntry).filter_by(action="reissued").count() == before + 1

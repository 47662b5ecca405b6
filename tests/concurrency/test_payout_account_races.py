"""Two people saving a host's first payout account at the same moment: both answers are taken
(the later one stands), one account row, never a server error. Real connections, both
databases."""

from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.models import PayoutAccount, Role, User
from marketplace.services.payments import payouts
from tests.concurrency.racing import Side, assert_no_unexpected, race
from tests.factories import make_community, make_user

ROUNDS = 6


def _save(host_id: int, clerk_id: int, number: str):
    def act(_prepared):
        clerk = db.session.get(User, clerk_id)
        return payouts.set_payout_account(
            host_id,
            bank_name="Agribank",
            account_number=number,
            account_name="Nguyễn Văn Ân",
            actor=clerk,
        )

    return act


def test_two_first_saves_of_a_payout_account_at_once(racing_app):
    for n in range(ROUNDS):
        community = make_community()
        host = make_user(Role.HOST, community=community)
        first = make_user(Role.COOP, community=community)
        second = make_user(Role.COOP, community=community)
        host_id, first_id, second_id = host.id, first.id, second.id
        db.session.remove()

        result = race(
            racing_app,
            Side("first", _save(host_id, first_id, "1234567890")),
            Side("second", _save(host_id, second_id, "9876543210")),
            round_no=n,
        )
        assert_no_unexpected(result, {"first": {"ok"}, "second": {"ok"}})
        db.session.rollback()
        rows = db.session.scalar(
            select(func.count(PayoutAccount.id)).where(PayoutAccount.host_id == host_id)
        )
        assert rows == 1, (n, rows)

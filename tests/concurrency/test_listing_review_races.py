"""Two reviewers deciding on one listing at the same moment: one decision stands and the host
gets one mail, never "approved" and "rejected" both. Real connections, both databases."""

import pytest
from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.models import Listing, ListingStatus, Role
from marketplace.models.booking import AuditEntry as AuditLog
from marketplace.models.outbox import OutboxMessage
from marketplace.services.catalogue import listing_review
from tests.concurrency.racing import Side, assert_no_unexpected, race
from tests.factories import make_listing, make_user

ROUNDS = 6


def _reviewer_side(name: str, listing_id: int, reviewer_id: int, action) -> Side:
    def prepare():
        from marketplace.models import User

        # what the approvals page read: the listing, waiting
        listing = db.session.get(Listing, listing_id)
        listing.status  # noqa: B018  (loaded on purpose)
        return listing, db.session.get(User, reviewer_id)

    def act(prepared):
        listing, reviewer = prepared
        return action(listing, reviewer, f"{name}: see the photos")

    return Side(name, act, prepare)


def _decisions(listing_id: int) -> tuple[int, int]:
    db.session.rollback()
    mails = db.session.scalar(
        select(func.count(OutboxMessage.id)).where(
            OutboxMessage.topic == listing_review.MAIL_TOPIC,
            OutboxMessage.payload["listing_id"].as_integer() == listing_id,
        )
    )
    audits = db.session.scalar(
        select(func.count(AuditLog.id)).where(
            AuditLog.subject_type == "listing",
            AuditLog.subject_id == listing_id,
            AuditLog.action.in_(("approved", "rejected")),
        )
    )
    return mails, audits


@pytest.mark.parametrize("second", ["approve", "reject"])
def test_two_reviewers_at_once_make_one_decision(racing_app, second):
    for n in range(ROUNDS):
        listing = make_listing(status=ListingStatus.PENDING)
        first = make_user(Role.COOP, community=listing.community)
        other = make_user(Role.COOP, community=listing.community)
        listing_id, first_id, other_id = listing.id, first.id, other.id
        db.session.remove()

        result = race(
            racing_app,
            _reviewer_side("approve", listing_id, first_id, listing_review.approve),
            _reviewer_side(second + "2", listing_id, other_id, getattr(listing_review, second)),
            round_no=n,
        )
        assert_no_unexpected(
            result, {"approve": {"ok", "not_pending"}, second + "2": {"ok", "not_pending"}}
        )
        codes = result.codes()
        if second == "approve":  # a repeat answers ALREADY: both "ok", one of them wrote nothing
            assert set(codes.values()) == {"ok"}, codes
        else:
            assert sorted(codes.values()) == ["not_pending", "ok"], codes
        mails, audits = _decisions(listing_id)
        assert (mails, audits) == (1, 1), (n, codes, mails, audits)

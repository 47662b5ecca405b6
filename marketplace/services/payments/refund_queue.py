"""Refunds sent by hand: the tourist's bank account, the staff's queue, "sent" recorded once.

A refund of a bank transfer (VietQR) or of cash is decided with the cancellation (or the late
payment) and counted in the ledger then; the money itself goes back when a person sends it.
Card refunds go back through Stripe by themselves and never appear here.

- The tourist gives the account to send it to (`set_refund_account`), on their booking page.
- The cooperative of the booking's community, or a platform admin, sees every refund due
  (`due_refunds`), sends the transfer from the community's account, and records it with the
  bank's reference (`record_refund_sent`): the refund becomes SUCCEEDED.
- A refund of cash is given back by the host who collected it (services.ledger), in cash while
  the guest is there or by transfer to the account given here; the cooperative records it too.
- When the bank refuses the account, staff say so (`reject_refund_account`) and the tourist is
  asked again; the refund stays pending (it is still owed).

Every change locks the booking (`locks.locked_booking`), re-reads, moves the refund through
`refunds.move_refund` (judged against `REFUND_TRANSITIONS`, audited) and commits: a double
click records one "sent".
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from ...clock import utcnow
from ...extensions import db
from ...models import (
    REFUND_TRANSITIONS,
    Booking,
    Payment,
    PaymentMethod,
    Refund,
    RefundAccount,
    RefundStatus,
    Role,
)
from ...models.states import Outcome, judge
from ..shared import audit
from ..shared.errors import Conflict, NotFound, ServiceError
from ..shared.locks import locked_booking
from . import refunds
from .transfer_details import BANK_NAMES

#: payments whose refunds a person sends
BY_HAND = frozenset({PaymentMethod.VIETQR, PaymentMethod.PAY_AT_ARRIVAL})

_DIGITS = re.compile(r"^[0-9]{6,19}$")
_HOLDER = re.compile(r"^[A-Z][A-Z .'-]{1,119}$")


def is_by_hand(refund: Refund) -> bool:
    return refund.payment.method in BY_HAND


def refund_account(booking_id: int) -> RefundAccount | None:
    return db.session.scalar(select(RefundAccount).where(RefundAccount.booking_id == booking_id))


def _due_by_hand(booking: Booking) -> list[Refund]:
    return [
        r
        for p in booking.payments
        if p.method in BY_HAND
        for r in p.refunds
        if r.status == RefundStatus.PENDING
    ]


def needs_account(booking: Booking) -> bool:
    """A transfer refund is due and there is no usable account to send it to."""
    account = refund_account(booking.id)
    usable = account is not None and account.rejected_at is None
    return not usable and any(
        r.payment.method == PaymentMethod.VIETQR for r in _due_by_hand(booking)
    )


def refund_state(refund: Refund, account: RefundAccount | None) -> str:
    """What the tourist is told: by_card, waiting_for_account, to_be_sent, sent or failed."""
    if refund.status == RefundStatus.SUCCEEDED:
        return "sent"
    if refund.status == RefundStatus.FAILED:
        return "failed"
    if not is_by_hand(refund):
        return "by_card"
    if refund.payment.method == PaymentMethod.VIETQR and (
        account is None or account.rejected_at is not None
    ):
        return "waiting_for_account"
    return "to_be_sent"


def refunds_of(booking: Booking) -> dict:
    """The booking page's refund section: each refund's state, the account, whether to ask."""
    account = refund_account(booking.id)
    refunds = [r for p in booking.payments for r in p.refunds]
    return {
        "rows": [{"refund": r, "state": refund_state(r, account)} for r in refunds],
        "account": account,
        "bank_name": BANK_NAMES.get(account.bank_bin, "") if account else "",
        "ask": bool(_due_by_hand(booking)),
        "needs_account": needs_account(booking),
    }


# --- the tourist's account -------------------------------------------------------------------


def clean_holder(name: str) -> str:
    """An account holder's name as Vietnamese banks hold it: upper case, no diacritics."""
    name = (name or "").replace("đ", "d").replace("Đ", "D")
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(plain.upper().split())


def validate_account(bank_bin: str, account_number: str, account_holder: str) -> tuple:
    """(bank_bin, account_number, holder) cleaned. Raises ServiceError on the field at fault."""
    bank_bin = (bank_bin or "").strip()
    if bank_bin not in BANK_NAMES:
        raise ServiceError(_("Choose your bank."), "invalid_bank", "bank_bin")
    number = re.sub(r"[\s.-]", "", account_number or "")
    if not _DIGITS.match(number):
        raise ServiceError(
            _("Enter the account number: 6 to 19 digits."), "invalid_account", "account_number"
        )
    holder = clean_holder(account_holder)
    if not _HOLDER.match(holder):
        raise ServiceError(
            _("Enter the account holder's name as the bank has it."),
            "invalid_holder",
            "account_holder",
        )
    return bank_bin, number, holder


def set_refund_account(
    booking: Booking,
    *,
    bank_bin: str,
    account_number: str,
    account_holder: str,
    actor=None,
    now: datetime | None = None,
) -> RefundAccount:
    """The tourist's account for the refunds sent by hand (given or corrected), commit.

    The caller checks the visitor is the traveller. Raises ServiceError (field: bank_bin,
    account_number, account_holder), Conflict `no_refund_due` when nothing is to be sent,
    NotFound.
    """
    now = now or utcnow()
    bank_bin, number, holder = validate_account(bank_bin, account_number, account_holder)
    booking = locked_booking(booking.id)
    if not _due_by_hand(booking):
        db.session.rollback()
        raise Conflict(_("No refund is waiting to be sent to you."), "no_refund_due")
    account = refund_account(booking.id)
    if account is None:
        account = RefundAccount(booking_id=booking.id)
        db.session.add(account)
    account.bank_bin, account.account_number, account.account_holder = bank_bin, number, holder
    account.updated_at = now
    account.updated_by_id = getattr(actor, "id", None)
    account.rejected_at, account.rejected_note = None, ""
    audit.record(
        booking,
        "refund_account",
        actor=actor,
        data={"bank_bin": bank_bin, "account_number": number[-4:]},
    )
    db.session.commit()
    return account


# --- the staff's queue -----------------------------------------------------------------------


def may_work(user, booking: Booking) -> bool:
    """Admins, and the cooperative of the booking's community."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.COOP and booking.community_id in user.community_ids


@dataclass
class DueRefund:
    refund: Refund
    booking: Booking
    account: RefundAccount | None

    @property
    def bank_name(self) -> str:
        return BANK_NAMES.get(self.account.bank_bin, "") if self.account else ""

    @property
    def by_cash(self) -> bool:
        return self.refund.payment.method == PaymentMethod.PAY_AT_ARRIVAL

    @property
    def sendable(self) -> bool:
        return self.by_cash or (self.account is not None and self.account.rejected_at is None)


def due_refunds(user) -> list[DueRefund]:
    """Pending refunds of transfers and cash the user may send, oldest first."""
    query = (
        select(Refund, Booking, RefundAccount)
        .join(Payment, Payment.id == Refund.payment_id)
        .join(Booking, Booking.id == Refund.booking_id)
        .outerjoin(RefundAccount, RefundAccount.booking_id == Booking.id)
        .where(Refund.status == RefundStatus.PENDING, Payment.method.in_(BY_HAND))
        .order_by(Refund.created_at, Refund.id)
    )
    if user.role != Role.ADMIN:
        if user.role != Role.COOP:
            return []
        query = query.where(Booking.community_id.in_(user.community_ids or {-1}))
    return [DueRefund(r, b, a) for r, b, a in db.session.execute(query)]


def _locked_refund(refund_id: int, actor) -> tuple[Booking, Refund]:
    """Lock the refund's booking, re-read both; raises NotFound (also when not the actor's)."""
    booking_id = db.session.scalar(select(Refund.booking_id).where(Refund.id == refund_id))
    if booking_id is None:
        raise NotFound(_("No such refund."), "not_found")
    booking = locked_booking(booking_id)
    refund = db.session.get(Refund, refund_id)
    if not may_work(actor, booking) or not is_by_hand(refund):
        db.session.rollback()
        raise NotFound(_("No such refund."), "not_found")
    return booking, refund


def record_refund_sent(
    refund_id: int, actor, bank_reference: str, *, now: datetime | None = None
) -> Outcome:
    """Staff sent the money back: the refund SUCCEEDED with its bank reference, commit.

    Returns APPLIED, or ALREADY when it was recorded before (a double click: nothing changes).
    Raises ServiceError `invalid_reference` (field bank_reference), NotFound (also for a refund
    the actor may not see), Conflict `no_refund_account` (a transfer needs the tourist's account
    first), Conflict `refund_not_pending`.
    """
    now = now or utcnow()
    reference = " ".join((bank_reference or "").split())
    booking, refund = _locked_refund(refund_id, actor)  # NotFound first: nothing to learn
    if not 1 <= len(reference) <= 60:
        db.session.rollback()
        raise ServiceError(
            _("Enter the bank's reference of the transfer (or the receipt number)."),
            "invalid_reference",
            "bank_reference",
        )
    account = refund_account(booking.id)
    usable = account is not None and account.rejected_at is None
    if (
        judge(REFUND_TRANSITIONS, refund.status, RefundStatus.SUCCEEDED) is Outcome.APPLIED
        and refund.payment.method == PaymentMethod.VIETQR
        and not usable
    ):
        db.session.rollback()
        raise Conflict(
            _("The tourist has not given a bank account to send it to yet."), "no_refund_account"
        )
    sent_to = f"{account.bank_bin} ...{account.account_number[-4:]}" if usable else "cash"
    outcome = refunds.move_refund(
        refund, RefundStatus.SUCCEEDED, actor=actor, note=f"sent by hand: {reference} ({sent_to})"
    )
    if outcome is Outcome.ALREADY:
        db.session.rollback()
        return outcome
    if outcome is Outcome.REFUSED:
        db.session.rollback()
        raise Conflict(_("This refund is not waiting to be sent."), "refund_not_pending")
    refund.paid_at = now
    refund.paid_by_id = actor.id
    refund.bank_reference = reference
    db.session.commit()
    return outcome


def reject_refund_account(
    refund_id: int, actor, note: str = "", *, now: datetime | None = None
) -> RefundAccount:
    """The bank refused the tourist's account: ask them again; the refund stays due, commit.

    Raises NotFound, Conflict `refund_not_pending`, Conflict `no_refund_account`.
    """
    now = now or utcnow()
    booking, refund = _locked_refund(refund_id, actor)
    if refund.status != RefundStatus.PENDING:
        db.session.rollback()
        raise Conflict(_("This refund is not waiting to be sent."), "refund_not_pending")
    account = refund_account(booking.id)
    if account is None:
        db.session.rollback()
        raise Conflict(
            _("The tourist has not given a bank account to send it to yet."), "no_refund_account"
        )
    account.rejected_at = now
    account.rejected_note = (note or "").strip()[:300]
    audit.record(booking, "refund_account_rejected", actor=actor, note=account.rejected_note)
    db.session.commit()
    return account

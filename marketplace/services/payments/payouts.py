"""What the cooperative owes and has paid each host, from the ledger; where payouts are sent.

The ledger (`ledger`) holds every host share, refund and cash collected; `ledger.run_payouts`
settles them into Payout rows. This module reads them back per host (history by month, payouts
made, balance not yet paid) and gives the lines of a batch transfer for the bank: who, which
account, how much, with what content. Files (CSV, XLSX) are written by the web layer.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ...clock import BUSINESS_TZ, utcnow
from ...database import begin_write
from ...extensions import db
from ...models import (
    LedgerAccount,
    LedgerEntry,
    LedgerKind,
    Payout,
    PayoutAccount,
    Role,
    User,
    community_member,
)
from ..shared import audit
from ..shared.errors import NotFound, ServiceError
from . import ledger


@dataclass
class HostRow:
    host: User
    #: shares not yet paid out, all months (negative: the host holds cash owed to the fund)
    owed: int
    paid: int
    last_payout: Payout | None
    account: PayoutAccount | None


@dataclass
class Month:
    year: int
    month: int
    earned: int = 0
    refunded: int = 0
    cash: int = 0
    paid_out: int = 0

    @property
    def total(self) -> int:
        return self.earned - self.refunded - self.cash


@dataclass
class HostHistory:
    host: User
    account: PayoutAccount | None
    owed: int
    payouts: list[Payout] = field(default_factory=list)
    months: list[Month] = field(default_factory=list)

    @property
    def paid(self) -> int:
        return sum(p.amount for p in self.payouts)


@dataclass
class BatchLine:
    payout: Payout
    host: User
    account: PayoutAccount | None
    content: str


def _host_ids(scope: set[int] | None) -> list[int]:
    """Hosts with ledger entries, or members, of the communities in `scope` (None: all)."""
    entries = select(LedgerEntry.host_id).where(
        LedgerEntry.account == LedgerAccount.HOST, LedgerEntry.host_id.is_not(None)
    )
    members = select(community_member.c.user_id).join(User, User.id == community_member.c.user_id)
    members = members.where(User.role == Role.HOST)
    if scope is not None:
        entries = entries.where(LedgerEntry.community_id.in_(scope or {-1}))
        members = members.where(community_member.c.community_id.in_(scope or {-1}))
    ids = set(db.session.scalars(entries.distinct())) | set(db.session.scalars(members))
    return sorted(ids)


def _visible(host_id: int, scope: set[int] | None) -> User:
    host = db.session.get(User, host_id)
    if host is None or (scope is not None and host_id not in _host_ids(scope)):
        raise NotFound(_("No such host."), "host_not_found")
    return host


def hosts_overview(scope: set[int] | None = None) -> list[HostRow]:
    """Each host: owed now, paid so far, their last payout and their bank account."""
    ids = _host_ids(scope)
    if not ids:
        return []
    paid = dict(
        db.session.execute(
            select(Payout.host_id, func.sum(Payout.amount))
            .where(Payout.host_id.in_(ids))
            .group_by(Payout.host_id)
        ).all()
    )
    last = {}
    for payout in db.session.scalars(
        select(Payout).where(Payout.host_id.in_(ids)).order_by(Payout.period_end, Payout.id)
    ):
        last[payout.host_id] = payout
    accounts = {
        a.host_id: a
        for a in db.session.scalars(select(PayoutAccount).where(PayoutAccount.host_id.in_(ids)))
    }
    hosts = db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.name, User.id))
    return [
        HostRow(
            h,
            ledger.unsettled_balance(h.id),
            int(paid.get(h.id) or 0),
            last.get(h.id),
            accounts.get(h.id),
        )
        for h in hosts
    ]


def host_history(host_id: int, *, scope: set[int] | None = None) -> HostHistory:
    """One host's months (shares, refunds, cash, paid out) and payouts. Raises NotFound."""
    host = _visible(host_id, scope)
    months: dict[tuple[int, int], Month] = {}
    entries = db.session.scalars(
        select(LedgerEntry)
        .where(LedgerEntry.account == LedgerAccount.HOST, LedgerEntry.host_id == host_id)
        .order_by(LedgerEntry.occurred_at, LedgerEntry.id)
    )
    for entry in entries:
        when = entry.occurred_at.astimezone(BUSINESS_TZ)
        month = months.setdefault((when.year, when.month), Month(when.year, when.month))
        if entry.kind != LedgerKind.SHARE:
            month.cash -= entry.amount
        elif entry.refund_id is None:
            month.earned += entry.amount
        else:
            month.refunded -= entry.amount
    payouts = list(
        db.session.scalars(
            select(Payout).where(Payout.host_id == host_id).order_by(Payout.period_end, Payout.id)
        )
    )
    for payout in payouts:
        # a payout settles shares up to its period's end: shown in the month it closes
        end = ledger.last_day_of(payout.period_end)
        month = months.setdefault((end.year, end.month), Month(end.year, end.month))
        month.paid_out += payout.amount
    return HostHistory(
        host=host,
        account=_account(host_id),
        owed=ledger.unsettled_balance(host_id),
        payouts=payouts,
        months=[months[k] for k in sorted(months, reverse=True)],
    )


def _account(host_id: int) -> PayoutAccount | None:
    return db.session.scalar(select(PayoutAccount).where(PayoutAccount.host_id == host_id))


def ascii_upper(text: str) -> str:
    """Capitals without accents, as banks want names and contents: "Nguyễn Văn Ân" → "NGUYEN VAN AN"."""
    text = unicodedata.normalize("NFD", text or "").replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return re.sub(r"\s+", " ", re.sub(r"[^A-Za-z0-9 .,\-/]", " ", text)).strip().upper()


def set_payout_account(
    host_id: int,
    *,
    bank_name: str,
    account_number: str,
    account_name: str,
    actor,
    scope: set[int] | None = None,
    now: datetime | None = None,
) -> PayoutAccount:
    """Record where the host's payouts go, commit. Raises NotFound, ServiceError
    `invalid_account` naming the field (bank_name, account_number, account_name)."""
    _visible(host_id, scope)
    bank_name = (bank_name or "").strip()
    number = re.sub(r"[\s.\-]", "", account_number or "")
    name = ascii_upper(account_name)
    if not bank_name or len(bank_name) > 80:
        raise ServiceError(_("Enter the bank's name."), "invalid_account", "bank_name")
    if not re.fullmatch(r"\d{6,19}", number):
        raise ServiceError(
            _("An account number is 6 to 19 digits."), "invalid_account", "account_number"
        )
    if not name or len(name) > 70:
        raise ServiceError(
            _("Enter the account holder's name as the bank writes it."),
            "invalid_account",
            "account_name",
        )
    for attempt in range(2):  # a first save racing another one meets the unique host
        try:
            return _save_account(host_id, bank_name, number, name, actor, now or utcnow())
        except IntegrityError:
            db.session.rollback()
            if attempt:
                raise
    raise AssertionError("unreachable")


def _save_account(host_id, bank_name, number, name, actor, now) -> PayoutAccount:
    begin_write()
    account = _account(host_id) or PayoutAccount(host_id=host_id)
    before = _shown_account(account) if account.id else None
    account.bank_name, account.account_number, account.account_name = bank_name, number, name
    account.updated_at = now
    account.updated_by_id = getattr(actor, "id", None)
    db.session.add(account)
    db.session.flush()
    # where a host's money goes is audited: a changed account is the first thing to check
    # when a payout goes astray
    audit.record(
        account,
        "payout_account_set",
        actor=actor,
        data={"host_id": host_id, "before": before, "after": _shown_account(account)},
    )
    db.session.commit()
    return account


def _shown_account(account: PayoutAccount) -> dict:
    return {
        "bank": account.bank_name,
        "number_ends": (account.account_number or "")[-4:],
        "name": account.account_name,
    }


def batch(year: int, month: int, *, scope: set[int] | None = None) -> list[BatchLine]:
    """The payouts whose period ends with this month, one line each, for a batch transfer.

    The content is ASCII capitals (banks strip accents and cut long contents) and carries the
    payout's reference, so the host and the statement of the cooperative's account both show it.
    """
    _start, end = ledger.month_bounds(year, month)
    query = select(Payout).where(Payout.period_end == end).order_by(Payout.host_id, Payout.id)
    if scope is not None:
        query = query.where(Payout.host_id.in_(_host_ids(scope) or [-1]))
    lines = []
    for payout in db.session.scalars(query):
        host = db.session.get(User, payout.host_id)
        content = ascii_upper(f"{payout.reference} chi tra chu nha {month:02d}/{year}")
        lines.append(BatchLine(payout, host, _account(payout.host_id), content[:140]))
    return lines

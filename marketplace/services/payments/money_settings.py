"""A community's money settings change only with a second person.

Commission, community fund rate and the receiving bank account decide where tourists' money
goes. A change asked for by cooperative staff or an admin is written as a pending
`SettingChange` (who, when, old and new values), not applied; an admin who is not the requester
approves it (applied in the same transaction) or rejects it. Every step is audited and announced
by mail to the community's cooperative staff and the admins (topic `mail.settings_change`).
"""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from ...clock import utcnow
from ...database import begin_write
from ...extensions import db
from ...models import Community, Role, User
from ...models.setting_change import (
    SETTING_CHANGE_TRANSITIONS,
    SettingChange,
    SettingChangeStatus,
)
from ...models.states import Outcome, judge
from ..shared import audit, outbox
from ..shared.errors import Forbidden, NotFound, ServiceError

#: the settings guarded here, in the order they are shown
MONEY_FIELDS = (
    "commission_rate_bp",
    "community_fund_rate_bp",
    "bank_bin",
    "bank_account_number",
    "bank_account_name",
)
MAIL_TOPIC = "mail.settings_change"


def current_values(community: Community) -> dict:
    return {field: getattr(community, field) for field in MONEY_FIELDS}


@dataclass(frozen=True)
class MoneySettings:
    """What the settings form asks for, read by the page: rates in basis points (1/100 %)."""

    commission_rate_bp: int
    community_fund_rate_bp: int
    bank_bin: str = ""
    bank_account_number: str = ""
    bank_account_name: str = ""


def checked_values(settings: MoneySettings) -> dict:
    """The new setting values, checked and tidied.

    Raises ServiceError out_of_range, rates_too_high, invalid_bank (with field).
    """
    for field, rate in (
        ("commission_percent", settings.commission_rate_bp),
        ("fund_percent", settings.community_fund_rate_bp),
    ):
        if not 0 <= rate <= 10000:
            raise ServiceError(_("Between 0 and 100."), "out_of_range", field)
    if settings.commission_rate_bp + settings.community_fund_rate_bp > 10000:
        raise ServiceError(
            _("Commission and fund together cannot exceed the price."),
            "rates_too_high",
            "fund_percent",
        )
    bank_bin = settings.bank_bin.strip()
    number = settings.bank_account_number.strip().replace(" ", "")
    name = settings.bank_account_name.strip().upper()
    if bank_bin and (not bank_bin.isdigit() or len(bank_bin) != 6):
        raise ServiceError(_("The bank code has 6 digits."), "invalid_bank", "bank_bin")
    if number and (not number.isdigit() or len(number) > 19):
        raise ServiceError(
            _("The account number has up to 19 digits."), "invalid_bank", "bank_account_number"
        )
    return {
        "commission_rate_bp": settings.commission_rate_bp,
        "community_fund_rate_bp": settings.community_fund_rate_bp,
        "bank_bin": bank_bin or None,
        "bank_account_number": number or None,
        "bank_account_name": name[:70] or None,
    }


def request_change(
    actor: User, community: Community, settings: MoneySettings, *, now: datetime | None = None
) -> SettingChange | None:
    """Record a pending change of `community`'s money settings from the posted form. Commits.

    Returns the change, or None when the form asks for the settings as they are.
    Raises Forbidden (not this community's staff), ServiceError change_pending (another change
    waits for approval) and the errors of `checked_values`.
    """
    if not actor.manages(community.id):
        raise Forbidden(_("You are not allowed to do this."), "forbidden")
    new_values = checked_values(settings)
    now = now or utcnow()
    begin_write()
    community = _locked(Community, community.id)
    old_values = current_values(community)
    if new_values == old_values:
        db.session.rollback()
        return None
    if pending_change(community) is not None:
        db.session.rollback()
        raise ServiceError(
            _("A change of these settings already waits for approval."), "change_pending", "form"
        )
    change = SettingChange(
        community_id=community.id,
        requested_by_id=actor.id,
        requested_at=now,
        old_values=old_values,
        new_values=new_values,
        status=SettingChangeStatus.PENDING,
    )
    db.session.add(change)
    db.session.flush()
    audit.record(
        change,
        "requested",
        actor=actor,
        to_state=SettingChangeStatus.PENDING,
        data={"community_id": community.id, "before": old_values, "after": new_values},
    )
    _announce(change, "requested")
    db.session.commit()
    outbox.kick()
    return change


def decide(
    actor: User, change_id: int, approve: bool, *, note: str = "", now: datetime | None = None
) -> Outcome:
    """Approve (apply the new values) or reject a pending change, in one transaction. Commits.

    Answers APPLIED, ALREADY (decided that way before) or REFUSED (decided the other way).
    Raises NotFound, Forbidden (not an admin), ServiceError own_change (the requester cannot
    decide their own change).
    """
    if actor.role != Role.ADMIN:
        raise Forbidden(_("Only an administrator can approve this."), "forbidden")
    begin_write()
    change = _locked(SettingChange, change_id)
    if change is None:
        db.session.rollback()
        raise NotFound(_("No such change."), "not_found")
    if change.requested_by_id == actor.id:
        db.session.rollback()
        raise ServiceError(
            _("Another administrator must decide on a change you asked for."), "own_change"
        )
    to = SettingChangeStatus.APPROVED if approve else SettingChangeStatus.REJECTED
    current = change.status
    outcome = judge(SETTING_CHANGE_TRANSITIONS, current, to)
    if outcome is not Outcome.APPLIED:
        db.session.rollback()
        return outcome
    change.status = to
    change.decided_by_id = actor.id
    change.decided_at = now or utcnow()
    change.note = (note or "").strip()[:500]
    audit.record(change, "status", actor=actor, from_state=current, to_state=to, note=change.note)
    if approve:
        community = _locked(Community, change.community_id)
        before = current_values(community)
        for field in MONEY_FIELDS:
            if field in change.new_values:
                setattr(community, field, change.new_values[field])
        audit.record(
            community,
            "settings",
            actor=actor,
            data={"before": before, "after": current_values(community), "change_id": change.id},
        )
    _announce(change, to.value)
    db.session.commit()
    outbox.kick()
    return outcome


def pending_change(community: Community) -> SettingChange | None:
    return db.session.scalar(
        select(SettingChange).where(
            SettingChange.community_id == community.id,
            SettingChange.status == SettingChangeStatus.PENDING,
        )
    )


def history(community: Community, limit: int = 10) -> list[SettingChange]:
    return list(
        db.session.scalars(
            select(SettingChange)
            .where(SettingChange.community_id == community.id)
            .order_by(SettingChange.requested_at.desc(), SettingChange.id.desc())
            .limit(limit)
        )
    )


def pending_community_ids() -> set[int]:
    return set(
        db.session.scalars(
            select(SettingChange.community_id).where(
                SettingChange.status == SettingChangeStatus.PENDING
            )
        )
    )


def recipients(community: Community) -> list[User]:
    """Who hears of a change: the community's active cooperative staff and every active admin."""
    staff = [u for u in community.members if u.role == Role.COOP and u.active]
    admins = db.session.scalars(select(User).where(User.role == Role.ADMIN, User.active))
    people = {u.id: u for u in [*staff, *admins] if u.email}
    return [people[key] for key in sorted(people)]


def _announce(change: SettingChange, event: str) -> None:
    outbox.emit(
        MAIL_TOPIC,
        {"change_id": change.id, "event": event},
        key=f"settings_change:{change.id}:{event}",
    )


def _locked(model, row_id: int):
    return db.session.scalar(
        select(model)
        .where(model.id == row_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )

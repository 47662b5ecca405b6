"""Card payments reconciled with Stripe: every paid Checkout Session ends in a confirmed booking
or an automatic refund, even when its webhook never came.

Two ways in, both through the locked unit the webhook uses (`payment_events.apply_session`), so
whichever comes first acts and the others find the payment succeeded and change nothing:

* the tourist coming back to the checkout success URL (`confirm_checkout_return`): Stripe is
  asked for the session at once, so the page shows the booking confirmed;
* a periodic job (`reconcile_recent_sessions`) that lists the recent complete sessions at Stripe
  and settles those we have not: a webhook lost, refused, or sent while we were down.
"""

import logging
import re
from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import select

from ...clock import utcnow
from ...extensions import db
from ...gateways import stripe_gateway
from ...models import Payment, PaymentMethod, PaymentStatus
from . import payment_events

log = logging.getLogger(__name__)

#: how far back the job looks; Stripe retries a webhook for three days, sessions live 24 h
RECONCILE_WINDOW = timedelta(hours=48)
#: payments in these states need nothing more from a paid session (flagged ones wait for a person)
DONE = (PaymentStatus.SUCCEEDED, PaymentStatus.FLAGGED)
PAID = ("paid", "no_payment_required")
SESSION_ID = re.compile(r"cs_[A-Za-z0-9_]{1,250}")


def _reference_of(session: dict) -> str:
    return str(
        (session.get("metadata") or {}).get("booking_reference")
        or session.get("client_reference_id")
        or ""
    )


def _settled(session_ids: list[str]) -> set[str]:
    """Of these sessions, those whose payment needs nothing more (read without a lock: a payment
    that moves on meanwhile is judged again under the lock by `apply_session`)."""
    done: set[str] = set()
    for start in range(0, len(session_ids), 500):
        chunk = session_ids[start : start + 500]
        done.update(
            db.session.scalars(
                select(Payment.provider_ref).where(
                    Payment.method == PaymentMethod.STRIPE,
                    Payment.provider_ref.in_(chunk),
                    Payment.status.in_(DONE),
                )
            )
        )
    return done


def confirm_checkout_return(session_id: str, reference: str, *, now: datetime | None = None) -> str:
    """The payer is back from Stripe Checkout for booking `reference`: ask Stripe about the
    session and act on it now, as its webhook would; commits. Never raises.

    Returns the outcome of `payment_events.apply_session` ("confirmed", "sold_out", ...), or
    "already_succeeded", "invalid_session" (no session id, or one of another booking),
    "awaiting_payment", or "unavailable" (Stripe unreachable: the webhook or the job follows).
    """
    if not SESSION_ID.fullmatch(session_id or ""):
        return "invalid_session"
    if _settled([session_id]):
        return "already_succeeded"
    db.session.commit()  # nothing held while Stripe answers
    try:
        session = stripe_gateway.retrieve_checkout_session(session_id)
    except stripe_gateway.GatewayError as exc:
        log.warning("checkout return %s: Stripe unreachable: %s", session_id, exc)
        return "unavailable"
    if session.get("id") != session_id or _reference_of(session) != reference:
        log.warning("checkout return %s does not pay booking %s", session_id, reference)
        return "invalid_session"
    if session.get("payment_status") not in PAID:
        return "awaiting_payment"
    try:
        return payment_events.apply_session(session, now=now)
    except Exception:  # noqa: BLE001  (the page still shows; the job settles it later)
        log.exception("checkout return %s for %s failed", session_id, reference)
        return "unavailable"


def reconcile_recent_sessions(
    now: datetime | None = None, window: timedelta = RECONCILE_WINDOW
) -> dict:
    """Settle every paid Checkout Session of the last `window` whose payment we have not recorded:
    its booking is confirmed, or the money goes back in full (the hold lapsed and the place was
    taken, or the booking was cancelled). A periodic job; running it again changes nothing more.

    Returns counts by outcome: "checked", "unpaid", "in_order", then each outcome of
    `payment_events.apply_session` ("confirmed", "sold_out", "cancelled", "flagged",
    "unknown_booking", ...), "errors", and "stripe_unreachable" when Stripe could not be listed.
    Never raises for Stripe or for one session that fails.
    """
    now = now or utcnow()
    report: Counter = Counter()
    db.session.commit()  # nothing held while Stripe answers
    try:
        sessions = list(stripe_gateway.list_recent_checkout_sessions(now - window))
    except stripe_gateway.GatewayError as exc:
        log.warning("reconciling checkouts: Stripe unreachable: %s", exc)
        report["stripe_unreachable"] += 1
        return dict(report)
    report["checked"] = len(sessions)
    paid = [s for s in sessions if s.get("payment_status") in PAID and s.get("id")]
    report["unpaid"] = len(sessions) - len(paid)
    settled = _settled([s["id"] for s in paid])
    for session in paid:
        if session["id"] in settled:
            report["in_order"] += 1
            continue
        try:
            outcome = payment_events.apply_session(session, now=now)
        except Exception:  # noqa: BLE001  (one broken session must not stop the others)
            log.exception("reconciling checkout %s failed", session["id"])
            report["errors"] += 1
            continue
        report[outcome] += 1
        level = logging.ERROR if outcome in ("unknown_booking", "flagged") else logging.WARNING
        log.log(
            level,
            "checkout %s for %s settled by reconciliation (no webhook): %s",
            session["id"],
            _reference_of(session) or "?",
            outcome,
        )
    return dict(report)

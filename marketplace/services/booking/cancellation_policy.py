"""Cancellation policies and the refund they give: one function decides."""

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from ...models import CancellationPolicy


@dataclass(frozen=True)
class PolicyRule:
    #: cancelling at least this many days before the first day refunds `percent_before`
    days_before: int
    percent_before: int
    percent_after: int
    summary: object  # lazy string


POLICIES: dict[CancellationPolicy, PolicyRule] = {
    CancellationPolicy.FLEXIBLE: PolicyRule(
        1, 100, 0, _l("Full refund if you cancel at least 1 day before arrival; no refund after.")
    ),
    CancellationPolicy.MODERATE: PolicyRule(
        5, 100, 50, _l("Full refund up to 5 days before arrival; half refunded after that.")
    ),
    CancellationPolicy.STRICT: PolicyRule(
        7, 50, 0, _l("Half refunded up to 7 days before arrival; no refund after that.")
    ),
}


def refund_percent(policy: CancellationPolicy, first_day: date, today: date) -> int:
    """The percent of the price given back when cancelling on `today` (business day)."""
    rule = POLICIES[CancellationPolicy(policy)]
    days_left = (first_day - today).days
    return rule.percent_before if days_left >= rule.days_before else rule.percent_after


def describe(policy: CancellationPolicy) -> str:
    return str(POLICIES[CancellationPolicy(policy)].summary)

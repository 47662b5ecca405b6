"""What a tourist needs to pay by bank transfer: the community's account and the VietQR text."""

from ...gateways import vietqr
from ...models import Booking
from . import money_rules

#: NAPAS bank identification numbers of the banks people here use most
BANK_NAMES = {
    "970436": "Vietcombank",
    "970415": "VietinBank",
    "970418": "BIDV",
    "970405": "Agribank",
    "970422": "MB Bank",
    "970407": "Techcombank",
    "970432": "VPBank",
    "970416": "ACB",
    "970423": "TPBank",
    "970403": "Sacombank",
}


def vietqr_details(booking: Booking, amount: int | None = None) -> dict:
    """The community's account and the VietQR text for `amount` (default: what is due)."""
    community = booking.community
    amount = money_rules.due(booking) if amount is None else amount
    return {
        "payload": vietqr.build_payload(
            community.bank_bin, community.bank_account_number, amount, booking.reference
        ),
        "amount": amount,
        "purpose": vietqr.clean_purpose(booking.reference),
        "bank_name": BANK_NAMES.get(community.bank_bin, community.bank_bin),
        "account": {
            "bank_bin": community.bank_bin,
            "account_number": community.bank_account_number,
            "account_name": community.bank_account_name or "",
        },
    }

"""A bank notification whose transfer id is longer than the column holds is refused with the
field named (400 at the webhook), never a database error."""

import pytest

from marketplace.services.payments import bank_transfers
from marketplace.services.shared.errors import ServiceError
from tests.factories import make_held_booking


def test_an_overlong_transfer_id_is_refused_by_name():
    booking = make_held_booking()
    with pytest.raises(ServiceError) as refused:
        bank_transfers.receive_notification(
            {
                "id": "FT" + "9" * 200,
                "transferType": "in",
                "transferAmount": booking.total,
                "content": booking.reference,
            }
        )
    assert (refused.value.code, refused.value.field) == ("invalid_notification", "id")


def test_an_id_of_the_longest_length_is_taken():
    booking = make_held_booking()
    transfer, new = bank_transfers.receive_notification(
        {"id": "F" * 80, "transferAmount": booking.total, "content": booking.reference}
    )
    assert new and transfer.transfer_id == "F" * 80

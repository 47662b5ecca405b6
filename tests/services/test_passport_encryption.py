"""Passport numbers are stored encrypted (Fernet, keys from PASSPORT_KEYS, rotation by MultiFernet);
code and pages still see the plain number, and the erasure job still blanks it."""

import csv
import io
from datetime import date, timedelta

import pytest
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import text

from marketplace import crypto
from marketplace.clock import business_today
from marketplace.extensions import db
from marketplace.models import Guest
from marketplace.services.backoffice import registration
from tests.factories import login, make_booking, make_listing

NUMBER = "M12345678"


def _raw_passports() -> list:
    return [row[0] for row in db.session.execute(text("SELECT passport_number FROM guest"))]


def _booking(passport=NUMBER, check_in=None):
    return make_booking(
        make_listing(units=2).room_types[0],
        check_in=check_in or business_today(),
        guest_list=[("Kim Min-jun", "KR", date(1990, 5, 1), passport)],
    )


def test_the_database_holds_a_token_and_code_reads_the_number():
    _booking()
    (raw,) = _raw_passports()
    assert raw != NUMBER and NUMBER not in raw
    assert raw.startswith(crypto.TOKEN_PREFIX)
    db.session.expire_all()
    assert db.session.query(Guest).one().passport_number == NUMBER


def test_the_host_pages_and_export_show_the_plain_number(client):
    booking = _booking()
    listing = booking.items[0].room_type.listing
    login(client, listing.host)
    today = business_today()
    page = client.get(f"/host/registration?from={today}&to={today + timedelta(days=5)}")
    assert NUMBER in page.get_data(as_text=True)
    response = client.get(f"/host/registration.csv?from={today}&to={today + timedelta(days=5)}")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[1][3] == NUMBER


def test_the_erasure_job_sets_the_column_to_null():
    _booking(check_in=business_today() - timedelta(days=40))
    assert registration.erase_passports(days=30) == 1
    assert _raw_passports() == [None]


def test_keys_rotate_the_first_encrypts_and_all_decrypt(app, monkeypatch):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setitem(app.config, "PASSPORT_KEYS", old)
    _booking(passport="OLD111")
    monkeypatch.setitem(app.config, "PASSPORT_KEYS", f"{new},{old}")
    _booking(passport="NEW222")
    db.session.expire_all()
    assert sorted(g.passport_number for g in db.session.query(Guest)) == ["NEW222", "OLD111"]
    raw_new = db.session.execute(
        text("SELECT passport_number FROM guest ORDER BY id DESC LIMIT 1")
    ).scalar()
    assert Fernet(new.encode()).decrypt(raw_new.encode()) == b"NEW222"

    # once the old key is dropped, what it encrypted cannot be read: never silently garbled
    monkeypatch.setitem(app.config, "PASSPORT_KEYS", new)
    with pytest.raises(InvalidToken):
        crypto.decrypt(_raw_passports()[0])


def test_a_number_written_before_encryption_still_reads():
    _booking()
    db.session.execute(text("UPDATE guest SET passport_number = 'LEGACY42'"))
    db.session.commit()
    db.session.expire_all()
    assert db.session.query(Guest).one().passport_number == "LEGACY42"


def test_production_needs_keys_and_development_derives_one():
    with pytest.raises(RuntimeError, match="PASSPORT_KEYS"):
        crypto.configured_keys({"ENV_NAME": "production", "SECRET_KEY": "x" * 40})
    derived = crypto.configured_keys({"ENV_NAME": "development", "SECRET_KEY": "abc"})
    assert derived == (crypto.development_key("abc"),)
    Fernet(derived[0])  # a valid key
    assert crypto.configured_keys({"PASSPORT_KEYS": " k1 , k2 "}) == (b"k1", b"k2")

"""Holds that cannot be taken hostage, and production that refuses unsafe settings.

At most MAX_OPEN_HOLDS unpaid holds per email or account (429 `too_many_holds`, counted under the
booking lock, so a race cannot pass it), new holds per client address (Flask-Limiter,
HOLD_LIMIT_ADDRESS), X-Forwarded-For read only behind TRUSTED_PROXIES; production start-up
names every missing or unsafe setting; `flask demo seed` refuses production.
"""

import secrets
import threading
from collections import Counter
from datetime import timedelta

import pytest
from werkzeug.middleware.proxy_fix import ProxyFix

from config import _env_bool
from marketplace import create_app
from marketplace.clock import business_today, utcnow
from marketplace.extensions import db
from marketplace.models import Booking, BookingStatus
from marketplace.services.booking import bookings, ticket_tokens
from marketplace.services.booking.booking_requests import Contact, StayRequest
from marketplace.services.shared.errors import ServiceError
from tests.factories import bearer, login, make_listing, make_user, stay_item

#: an environment production accepts (each test below spoils one setting of it)
SAFE_PRODUCTION_ENV = {
    "SECRET_KEY": secrets.token_urlsafe(48),
    "STRIPE_SECRET_KEY": "sk_live_" + secrets.token_hex(16),
    "STRIPE_WEBHOOK_SECRET": "whsec_" + secrets.token_hex(16),
    "TICKET_SIGNING_KEY": ticket_tokens.generate_private_key_text(),
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "PASSPORT_KEYS": "hQ9b2mM0m6VvX0b9xq8Wl3cQ1FzGJ0pD3v0u8nEYk2c=",
}


def form_data(item, email="emma@example.test", token="t1", **overrides):
    return {
        **item,
        "name": "Emma Schmidt",
        "email": email,
        "phone": "+49 151 2345 6789",
        "full_name": "Emma Schmidt",
        "nationality": "DE",
        "date_of_birth": "1990-05-01",
        "passport_number": "C01X00T47",
        "form_token": token,
        **overrides,
    }


def api_body(room, email="emma@example.test"):
    return {
        "items": [stay_item(room)],
        "contact": {"name": "Emma", "email": email, "phone": "+49 151 2345 6789"},
    }


# --- open holds per email or account ----------------------------------------------------------


def test_the_sixth_open_hold_of_one_email_is_refused_on_the_page(client):
    room = make_listing(units=8).room_types[0]
    for n in range(5):
        response = client.post("/book", data=form_data(stay_item(room), token=f"t{n}"))
        assert response.status_code == 302
    refused = client.post("/book?lang=en", data=form_data(stay_item(room), token="t6"))
    assert refused.status_code == 429
    assert "5 unpaid bookings on hold" in refused.get_data(as_text=True)
    assert db.session.query(Booking).count() == 5
    # another email is another owner; the same email in capitals is the same one
    other = client.post("/book", data=form_data(stay_item(room), "lan@example.test", "t7"))
    assert other.status_code == 302
    shouted = client.post("/book", data=form_data(stay_item(room), "EMMA@example.test", "t8"))
    assert shouted.status_code == 429


def test_the_api_refuses_the_sixth_hold_of_an_account_whatever_the_email(client):
    tourist = make_user(email="tourist@example.test")
    room = make_listing(units=8).room_types[0]
    for n in range(5):
        response = client.post(
            "/api/v1/bookings",
            json=api_body(room, f"friend{n}@example.test"),
            headers=bearer(tourist),
        )
        assert response.status_code == 201, response.json
    refused = client.post(
        "/api/v1/bookings", json=api_body(room, "someone@example.test"), headers=bearer(tourist)
    )
    assert refused.status_code == 429
    assert refused.json["error"]["code"] == "too_many_holds"
    assert refused.json["error"]["message"]


def test_expired_and_cancelled_holds_do_not_count():
    room = make_listing(units=8).room_types[0]
    check_in = business_today() + timedelta(days=20)
    item = StayRequest(room.id, check_in, check_in + timedelta(days=1), 1, 1)
    contact = Contact("An", "an@example.test", "+84 912 345 678")
    long_ago = utcnow() - timedelta(hours=3)
    for _ in range(4):
        bookings.place_booking([item], contact, now=long_ago)  # holds expired since
    placed = [bookings.place_booking([item], contact)[0] for _ in range(5)]
    with pytest.raises(ServiceError) as excinfo:
        bookings.place_booking([item], contact)
    assert excinfo.value.code == "too_many_holds" and excinfo.value.status == 429
    from marketplace.services.payments import cancellations

    cancellations.cancel(placed[0], reason="changed plans")
    booking, created = bookings.place_booking([item], contact)
    assert created and booking.status == BookingStatus.PENDING_PAYMENT


def test_max_open_holds_is_a_setting(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_OPEN_HOLDS", 2)
    room = make_listing(units=4).room_types[0]
    check_in = business_today() + timedelta(days=20)
    item = StayRequest(room.id, check_in, check_in + timedelta(days=1), 1, 1)
    contact = Contact("An", "an@example.test", "+84 912 345 678")
    bookings.place_booking([item], contact)
    bookings.place_booking([item], contact)
    with pytest.raises(ServiceError) as excinfo:
        bookings.place_booking([item], contact)
    assert excinfo.value.code == "too_many_holds" and " 2 " in excinfo.value.message


def test_holds_placed_at_once_cannot_pass_the_cap_together(app):
    """Eight placements of one email, each for a room of another listing (no shared inventory
    lock), race; exactly MAX_OPEN_HOLDS of them hold."""
    threads = 8
    settings = {key: app.config[key] for key in app.config if key.isupper()}
    settings.update(
        ENV_NAME="test",
        MAX_OPEN_HOLDS=3,
        SQLALCHEMY_ENGINE_OPTIONS={"pool_size": threads + 2, "max_overflow": 0, "pool_timeout": 60},
    )
    racer = create_app(settings)
    rooms = [make_listing().room_types[0].id for _ in range(threads)]
    check_in = business_today() + timedelta(days=15)
    barrier = threading.Barrier(threads)
    outcomes: Counter = Counter()
    lock = threading.Lock()

    def attempt(n: int):
        with racer.app_context():
            db.session.connection()
            barrier.wait(timeout=60)
            try:
                bookings.place_booking(
                    [StayRequest(rooms[n], check_in, check_in + timedelta(days=1), 1, 1)],
                    Contact("Racer", "racer@example.test", "+84 912 345 678"),
                )
                outcome = "held"
            except ServiceError as exc:
                outcome = exc.code
            finally:
                db.session.remove()
            with lock:
                outcomes[outcome] += 1

    workers = [threading.Thread(target=attempt, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    with racer.app_context():
        db.engine.dispose()
    assert outcomes == Counter({"held": 3, "too_many_holds": threads - 3})


# --- holds per client address -----------------------------------------------------------------


def test_holds_per_address_count_only_holds_made_and_ignore_forwarded_for(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "HOLD_LIMIT_ADDRESS", "2 per hour")
    room = make_listing(units=8).room_types[0]
    # a refused form is not a hold
    assert client.post("/book", data=form_data(stay_item(room), email="bad")).status_code == 400
    for n in range(2):
        made = client.post("/book", data=form_data(stay_item(room), f"g{n}@example.test", f"t{n}"))
        assert made.status_code == 302
    # the API shares the count; a forged X-Forwarded-For does not move the caller elsewhere
    tourist = make_user()
    refused = client.post(
        "/api/v1/bookings",
        json=api_body(room, "g9@example.test"),
        headers={**bearer(tourist), "X-Forwarded-For": "203.0.113.9"},
    )
    assert refused.status_code == 429
    assert refused.json["error"]["code"] == "rate_limited"
    page = client.post("/book", data=form_data(stay_item(room), "g8@example.test", "t8"))
    assert page.status_code == 429
    # another address (a neighbouring village) still books
    elsewhere = client.post(
        "/book",
        data=form_data(stay_item(room), "g7@example.test", "t7"),
        environ_base={"REMOTE_ADDR": "198.51.100.7"},
    )
    assert elsewhere.status_code == 302


def test_trusted_proxies_reads_the_client_address_from_the_proxy(app):
    settings = {key: app.config[key] for key in app.config if key.isupper()}
    settings.update(ENV_NAME="test", TRUSTED_PROXIES=1)
    behind_proxy = create_app(settings)
    assert isinstance(behind_proxy.wsgi_app, ProxyFix)
    assert behind_proxy.wsgi_app.x_for == 1 and behind_proxy.wsgi_app.x_proto == 1

    from flask import request

    behind_proxy.add_url_rule("/_address", "address", lambda: request.remote_addr or "")
    seen = behind_proxy.test_client().get(
        "/_address", headers={"X-Forwarded-For": "203.0.113.1, 198.51.100.2"}
    )
    assert seen.get_data(as_text=True) == "198.51.100.2"  # one hop: the proxy's own entry
    assert not isinstance(app.wsgi_app, ProxyFix)


def test_rate_limits_switch_off_from_the_environment(monkeypatch):
    monkeypatch.setenv("RATELIMIT_ENABLED", "false")
    assert _env_bool("RATELIMIT_ENABLED", True) is False
    monkeypatch.setenv("RATELIMIT_ENABLED", "true")
    assert _env_bool("RATELIMIT_ENABLED", True) is True
    monkeypatch.delenv("RATELIMIT_ENABLED")
    assert _env_bool("RATELIMIT_ENABLED", True) is True


# --- production start-up ----------------------------------------------------------------------


@pytest.fixture
def production_env(monkeypatch):
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    for name, value in SAFE_PRODUCTION_ENV.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        ("SECRET_KEY", None, "SECRET_KEY must be set"),
        ("SECRET_KEY", "short-but-random-Q7x", "SECRET_KEY must be 32+ random bytes"),
        ("SECRET_KEY", "x" * 40, "SECRET_KEY must be 32+ random bytes"),
        ("SECRET_KEY", "dev-only-not-secret", "SECRET_KEY is a known development value"),
        ("SECRET_KEY", "change-me-64-random-characters", "known development value"),
        ("STRIPE_SECRET_KEY", None, "STRIPE_SECRET_KEY must be set"),
        ("STRIPE_SECRET_KEY", "sk_test_emulator", "STRIPE_SECRET_KEY is a test or emulator key"),
        ("STRIPE_SECRET_KEY", "sk_test_51HxYz" + "a" * 20, "STRIPE_SECRET_KEY is a test"),
        ("STRIPE_WEBHOOK_SECRET", None, "STRIPE_WEBHOOK_SECRET must be set"),
        ("STRIPE_WEBHOOK_SECRET", "whsec_emulator", "STRIPE_WEBHOOK_SECRET is the emulator's"),
        ("TICKET_SIGNING_KEY", None, "TICKET_SIGNING_KEY must be set"),
        ("REDIS_URL", None, "REDIS_URL must be set"),
        ("PASSPORT_KEYS", None, "PASSPORT_KEYS must be set"),
        ("FLASK_DEBUG", "1", "debug must be off"),
    ],
)
def test_production_refuses_each_unsafe_setting(production_env, name, value, said):
    if value is None:
        production_env.delenv(name, raising=False)
    else:
        production_env.setenv(name, value)
    with pytest.raises(RuntimeError) as excinfo:
        create_app("production")
    assert said in str(excinfo.value)


def test_production_names_every_missing_setting_in_one_message(production_env):
    for name in SAFE_PRODUCTION_ENV:
        production_env.delenv(name)
    with pytest.raises(RuntimeError) as excinfo:
        create_app("production")
    message = str(excinfo.value)
    for name in SAFE_PRODUCTION_ENV:
        assert name in message


def test_production_starts_with_safe_settings(production_env):
    app = create_app("production")
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_demo_seed_refuses_production(app, runner, monkeypatch):
    monkeypatch.setitem(app.config, "ENV_NAME", "production")
    result = runner.invoke(args=["demo", "seed", "--no-photos"])
    assert result.exit_code != 0
    assert "production" in result.output
    assert db.session.query(Booking).count() == 0


def test_a_logged_in_tourist_sees_the_hold_message_on_the_form(client):
    tourist = make_user(email="hoa@example.test")
    login(client, tourist)
    room = make_listing(units=8).room_types[0]
    for n in range(5):
        made = client.post("/book", data=form_data(stay_item(room), f"x{n}@example.test", f"t{n}"))
        assert made.status_code == 302
    refused = client.post("/book?lang=en", data=form_data(stay_item(room), "y@example.test", "t9"))
    assert refused.status_code == 429
    assert 'id="item-error"' in refused.get_data(as_text=True)

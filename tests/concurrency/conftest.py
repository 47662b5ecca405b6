"""The racing app: the test app's settings on an engine of its own, so each side of a race holds
its own database connection."""

import pytest

from marketplace.extensions import db
from tests.concurrency.racing import make_racing_app


@pytest.fixture
def racing_app(app):
    racer = make_racing_app(app)
    yield racer
    with racer.app_context():
        db.engine.dispose()

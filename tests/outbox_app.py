"""An app for worker subprocesses in tests: settings from the environment, one slow handler.

`flask --app tests.outbox_app:create_app jobs worker` with OUTBOX_TEST_DATABASE_URL,
OUTBOX_TEST_DIR (mail folder, markers, the job queue's file) and maybe OUTBOX_TEST_JOBS_URL
(a Redis queue) set by the test.
"""

import os
import time
from pathlib import Path

from config import TestConfig
from marketplace import create_app as create_marketplace_app
from marketplace.gateways import mail
from marketplace.services.shared import outbox
from marketplace.services.shared.mail_delivery import send_mail_once


def create_app():
    folder = Path(os.environ["OUTBOX_TEST_DIR"])
    settings = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    settings.update(
        ENV_NAME="test",
        SQLALCHEMY_DATABASE_URI=os.environ["OUTBOX_TEST_DATABASE_URL"],
        MAIL_OUTBOX=str(folder / "mail"),
        JOBS_URL=os.environ.get("OUTBOX_TEST_JOBS_URL") or f"sqlite:///{folder / 'jobs.sqlite'}",
        OUTBOX_LEASE_SECONDS=1,
    )
    return create_marketplace_app(settings)


@outbox.handles("test.slow_mail")
def slow_mail(payload: dict, message_id: int) -> None:
    """Mail the guest, leave a marker, then hang while the test's "hang" file exists."""
    folder = Path(os.environ["OUTBOX_TEST_DIR"])
    message = mail.build_message("shop@example.test", payload["to"], "Hello", "Confirmed.")
    send_mail_once(message_id, "tourist", message)
    (folder / f"ran-{message_id}-{os.getpid()}").touch()
    deadline = time.monotonic() + 120
    while (folder / "hang").exists() and time.monotonic() < deadline:
        time.sleep(0.05)

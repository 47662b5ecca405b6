"""Mail from outbox handlers, sent once per (outbox message, part) although jobs run at least once.

The `SentMail` row is the record: a part already recorded is not sent again. Between handing the
message over and committing that row a worker can die; then the retry sends again, except in the
mail folder (development, tests), where the file is named by the message (creation time, id)
and part and is simply written over. Over SMTP the Message-ID is derived from the same pair, so a mail client shows the
rare duplicate as one message.
"""

import re
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...gateways import mail
from ...models.outbox import OutboxMessage, SentMail


def already_sent(message_id: int, part: str) -> bool:
    return (
        db.session.scalar(
            select(SentMail.id).where(SentMail.outbox_id == message_id, SentMail.part == part)
        )
        is not None
    )


def send_mail_once(message_id: int, part: str, message: EmailMessage) -> bool:
    """Send `message` as part `part` of outbox message `message_id` unless that part went already.

    Returns True when it was sent now, False when it had been sent before. Commits the record;
    raises what the mail gateway raises (the job is then retried).
    """
    if already_sent(message_id, part):
        db.session.rollback()
        return False
    db.session.rollback()  # no transaction open while we talk to the mail server
    safe_part = re.sub(r"[^A-Za-z0-9_.-]", "_", part)
    domain = message["Message-ID"].rsplit("@", 1)[-1].rstrip(">") if message["Message-ID"] else ""
    del message["Message-ID"]
    message["Message-ID"] = f"<outbox-{message_id}-{safe_part}@{domain or 'homestays.local'}>"
    # named by creation time too: ids start again on a fresh database, the mail folder does not
    created = db.session.scalar(
        select(OutboxMessage.created_at).where(OutboxMessage.id == message_id)
    )
    db.session.rollback()
    stamp = created.strftime("%Y%m%dT%H%M%S%f") if created else "0"
    mail.send(message, current_app.config, name=f"{stamp}-outbox-{message_id}-{safe_part}")
    db.session.add(
        SentMail(outbox_id=message_id, part=part, recipient=str(message["To"] or "")[:254])
    )
    try:
        db.session.commit()
    except IntegrityError:  # another worker ran the same job at the same time and recorded it
        db.session.rollback()
    return True

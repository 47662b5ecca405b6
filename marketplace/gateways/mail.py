"""Sending mail: SMTP when MAIL_SERVER is set, else an .eml file per message in MAIL_OUTBOX."""

import smtplib
import uuid
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path


def build_message(
    sender: str, to: str, subject: str, text: str, html: str | None = None
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="homestays.local")
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    return message


def send(message: EmailMessage, config, *, name: str | None = None) -> str:
    """Deliver `message` with the app's settings; returns the outbox file or 'smtp'.

    `name` (jobs: derived from the outbox id) names the file in MAIL_OUTBOX, so a job that runs
    twice writes one file. Raises OSError / smtplib.SMTPException when the server refuses.
    """
    if config.get("MAIL_SERVER"):
        with smtplib.SMTP(config["MAIL_SERVER"], config.get("MAIL_PORT", 587), timeout=20) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            smtp.send_message(message)
        return "smtp"
    outbox = Path(config["MAIL_OUTBOX"])
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    path = outbox / (f"{name}.eml" if name else f"{stamp}-{uuid.uuid4().hex[:8]}.eml")
    partial = path.with_suffix(".part")
    partial.write_bytes(bytes(message))
    partial.replace(path)  # atomic: a reader never sees half a message
    return str(path)

"""Sending mail: SMTP when MAIL_SERVER is set, else an .eml file per message in MAIL_OUTBOX."""

import smtplib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path


def build_message(
    sender: str,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    *,
    language: str | None = None,
    inline: Sequence["Inline"] = (),
    attachments: Sequence["Attachment"] = (),
) -> EmailMessage:
    """Text, and HTML as its alternative; `inline` images travel with the HTML
    (multipart/related, shown by `cid:`), `attachments` after both (multipart/mixed)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="homestays.local")
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
        html_part = message.get_payload()[-1]
        for image in inline:
            html_part.add_related(
                image.data,
                maintype="image",
                subtype=image.subtype,
                cid=f"<{image.cid}>",
                filename=image.filename or None,
                disposition="inline",
            )
    for item in attachments:
        message.add_attachment(
            item.data,
            maintype=item.maintype,
            subtype=item.subtype,
            filename=item.filename,
            params=item.params,
        )
    # RFC 3282, for mail clients' fonts, spell-checking and translation; set last, as building
    # the parts moves Content-* headers into them
    if language:
        message["Content-Language"] = language
    return message


@dataclass(frozen=True)
class Inline:
    """An image the HTML part shows as `cid:<cid>`."""

    cid: str
    data: bytes
    subtype: str = "png"
    filename: str = ""


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes
    maintype: str
    subtype: str
    params: dict = field(default_factory=dict)


def new_content_id() -> str:
    """A Content-ID for an inline image, without the angle brackets (as `cid:` URLs write it)."""
    return make_msgid(domain="homestays.local")[1:-1]


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

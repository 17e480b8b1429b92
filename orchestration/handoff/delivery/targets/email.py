"""`email`: SMTP (stdlib smtplib), STARTTLS when configured, one connection per run.

The recipient's address is looked up at send time from the rep id (the feed never carries it)
and appears only in the envelope and the To header, never in the text or in a log. The
Message-ID is derived from the batch's idempotency key, so a re-sent mail can be recognised.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from email.message import EmailMessage
from typing import ClassVar, Literal

from handoff.delivery.feeds import Row, keys_of
from handoff.delivery.messages import OPERATIONS, digest_text, group_for_recipients, message_for
from handoff.delivery.messages import utc_now as now
from handoff.delivery.outcomes import BatchResult, RefusedError, TransientError
from handoff.delivery.targets.base import AlertChannelSettings, RepDirectory, Target


class EmailSettings(AlertChannelSettings):
    type: Literal["email"] = "email"
    channel: str = "email"
    host: str = ""
    port: int = 587
    starttls: bool = True
    ca_file: str | None = None
    username_env: str | None = "HANDOFF_SMTP_USERNAME"
    password_env: str | None = "HANDOFF_SMTP_PASSWORD"
    sender: str = "handoff@example.com"
    operations_address_env: str | None = "HANDOFF_OPERATIONS_EMAIL"  # for recipient `operations`
    subject_prefix: str = "[lead handoff]"

    def build(self, name: str, environ) -> EmailTarget:
        if not self.host:
            raise ValueError(f"target {name}: no SMTP host (HANDOFF_SMTP_HOST)")
        username = environ.get(self.username_env or "") or None
        password = environ.get(self.password_env or "") or None
        operations = environ.get(self.operations_address_env or "") or None
        return EmailTarget(name, self, username, password, operations)


class EmailTarget(Target):
    kind: ClassVar[str] = "email"
    needs_rep_emails: ClassVar[bool] = True
    settings: EmailSettings

    def __init__(self, name: str, settings: EmailSettings, username, password, operations=None):
        super().__init__(name, settings)
        self._operations_address = operations
        self._credentials = (username, password) if username else None
        self._smtp: smtplib.SMTP | None = None
        self._directory = RepDirectory()

    def row_filter(self, feed: str):
        return "channel = ?", [self.settings.channel]

    def batches(self, feed: str, rows):
        yield from group_for_recipients(rows, self.settings.digest_threshold)

    def open(self, directory: RepDirectory) -> None:
        self._directory = directory

    def close(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._smtp.quit()
            self._smtp = None

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            settings = self.settings
            smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout_seconds)
            try:
                if settings.starttls:
                    smtp.starttls(context=ssl.create_default_context(cafile=settings.ca_file))
                if self._credentials:
                    smtp.login(*self._credentials)
            except BaseException:
                smtp.close()
                raise
            self._smtp = smtp
        return self._smtp

    def message(self, rows: list[Row], batch_key: str) -> EmailMessage:
        messages = [message_for(row, now()) for row in rows]
        if messages[0].rep_id == OPERATIONS:
            recipient = self._operations_address
        else:
            recipient = self._directory.email(messages[0].rep_id)
        if not recipient:
            raise RefusedError(f"recipient {messages[0].rep_id} has no email address")
        mail = EmailMessage()
        if len(messages) == 1:
            subject = f"{messages[0].headline}: {messages[0].who}"
            mail.set_content(messages[0].text)
        else:
            subject = f"{len(messages)} leads need you"
            mail.set_content(digest_text(messages))
        mail["Subject"] = f"{self.settings.subject_prefix} {subject}".strip()
        mail["From"] = self.settings.sender
        mail["To"] = recipient
        mail["Message-ID"] = f"<{batch_key}@lead-handoff>"
        if any(message.is_urgent for message in messages):
            mail["X-Priority"] = "1"
        return mail

    def send(self, feed: str, rows: list[Row], batch_key: str) -> BatchResult:
        mail = self.message(rows, batch_key)
        try:
            self._connection().send_message(mail)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            raise _by_code(codes[0] if codes else 550, "recipient refused") from None
        except smtplib.SMTPResponseException as error:
            self._reset()
            raise _by_code(error.smtp_code, _text(error.smtp_error)) from None
        except (smtplib.SMTPException, OSError) as error:
            self._drop()
            raise TransientError(f"SMTP connection: {type(error).__name__}") from None
        return BatchResult.all_accepted(keys_of(feed, rows), mail["Message-ID"])

    def _reset(self) -> None:
        try:
            if self._smtp is not None:
                self._smtp.rset()
        except (smtplib.SMTPException, OSError):
            self._drop()

    def _drop(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.close()
            finally:
                self._smtp = None


def _text(value: bytes | str) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


def _by_code(code: int, detail: str) -> Exception:
    """SMTP 4xx is temporary, 5xx permanent (RFC 5321)."""
    text = f"SMTP {code}: {detail}"
    return TransientError(text) if 400 <= code < 500 else RefusedError(text)

"""An email backend that answers like an SMTP server refusing mail, for unit tests of the send service."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class RefusingBackend(EmailBackend):
    """Raises `error` for the next `times` sends, then delivers to the locmem outbox."""

    error: Exception | None = None
    times = 0

    def send_messages(self, messages):
        if RefusingBackend.times:
            RefusingBackend.times -= 1
            raise RefusingBackend.error
        return super().send_messages(messages)


def refuse(error: Exception, times: int = 1):
    RefusingBackend.error, RefusingBackend.times = error, times


TEMPORARY = smtplib.SMTPDataError(451, b"4.3.0 Try again later")
BOUNCE = smtplib.SMTPRecipientsRefused({"x@example.com": (550, b"5.1.1 No such user")})

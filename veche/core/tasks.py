"""Background tasks of the core: sending email. Every email the site sends goes through send_email_task."""

from __future__ import annotations

import logging

from django.core.mail import EmailMultiAlternatives
from django_tasks import task

logger = logging.getLogger(__name__)


@task(queue_name="email")
def send_email_task(
    *, subject: str, body: str, to: list[str], html_body: str | None = None, from_email: str | None = None
) -> int:
    """Send one message; the worker retries by re-enqueueing failed results (see docs/howto/operations.md)."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to, from_email=from_email)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    sent = message.send()
    logger.info("email sent", extra={"to_count": len(to), "subject": subject})
    return sent

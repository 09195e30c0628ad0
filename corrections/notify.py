"""The one message a reader who left an email gets when their correction is resolved.

Exactly once: the message is claimed by a conditional UPDATE before it is sent, so two
saves or two workers cannot both send it, and the address is erased after sending, since
it is needed for nothing else. A failed send releases the claim; `send_alerts` retries."""

import logging

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from listing.links import absolute_url

from .models import Correction

logger = logging.getLogger(__name__)


def due():
    """Resolved corrections whose reader is still to be told."""
    return (
        Correction.objects.exclude(status=Correction.Status.NEW)
        .exclude(email="")
        .filter(reader_notified_at__isnull=True)
    )


def notify_reader(correction):
    """Send the resolution message if it is due; True when this call sent it."""
    claimed = due().filter(pk=correction.pk).update(reader_notified_at=timezone.now())
    if not claimed:
        return False
    correction.refresh_from_db()
    record = correction.record
    context = {
        "correction": correction,
        "record_url": absolute_url(record.get_absolute_url()) if record is not None else "",
    }
    try:
        send_mail(
            subject=f"Your correction to {correction.record_label}: {correction.get_status_display().lower()}",
            message=render_to_string("corrections/email/resolved.txt", context),
            from_email=None,
            recipient_list=[correction.email],
        )
    except Exception:
        Correction.objects.filter(pk=correction.pk).update(reader_notified_at=None)
        logger.exception("resolution message for correction %s not sent; send_alerts will retry", correction.pk)
        return False
    Correction.objects.filter(pk=correction.pk).update(email="")
    return True


def notify_due_readers():
    """Send every resolution message still due (send_alerts calls this); how many were sent."""
    return sum(notify_reader(correction) for correction in due().only("pk"))

"""Sending what is due: each confirmed follow gets the changes since the last digest.

Idempotent: a follow's watermark (`changes_sent_until`) moves forward in the same
transaction that records the delivery, under a row lock, so a second run (or a run in
parallel) finds nothing new to send for the period already covered."""

import logging

from django.db import transaction
from django.utils import timezone

from listing.links import absolute_url

from . import digest
from .mail import send_digest
from .models import Delivery, Subscription

logger = logging.getLogger(__name__)


def send_due_digests(*, until=None):
    """Send every digest due up to `until` (now); how many messages were sent."""
    until = until or timezone.now()
    sent = 0
    for pk in Subscription.objects.confirmed().filter(changes_sent_until__lt=until).values_list("pk", flat=True):
        try:
            sent += _send_one(pk, until)
        except Exception:  # noqa: BLE001 - one follower's failed send must not stop the others; the next run retries
            logger.exception("digest for follow %s not sent", pk)
    return sent


@transaction.atomic
def _send_one(pk, until):
    subscription = Subscription.objects.select_for_update().filter(pk=pk, changes_sent_until__lt=until).first()
    if subscription is None:
        return 0  # another run has covered it meanwhile
    since = subscription.changes_sent_until
    followed = subscription.followed
    found = digest.changes(followed, since=since, until=until) if followed is not None else []
    if found:
        send_digest(subscription, found, followed_url=absolute_url(followed.get_absolute_url()))
        Delivery.objects.create(
            subscription=subscription, kind=Delivery.Kind.DIGEST, covers_from=since, covers_until=until,
            changes=len(found),
        )  # fmt: skip
    subscription.changes_sent_until = until
    subscription.save(update_fields=["changes_sent_until"])
    return 1 if found else 0

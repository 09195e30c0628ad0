"""Asking to follow: double opt-in, and at most one confirmation message while its link works.

Whatever the state of the address, the reader sees the same answer, so the form does not
tell anyone whether an address already follows something."""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from .mail import send_confirmation_request
from .models import Delivery, Subscription


def request_follow(email, followed):
    """Record the request and send the confirmation link if one is due; True when a message was sent."""
    email = email.strip().lower()
    content_type = ContentType.objects.get_for_model(followed)
    try:
        with transaction.atomic():
            subscription, _ = Subscription.objects.select_for_update().get_or_create(
                email=email,
                content_type=content_type,
                object_id=followed.pk,
                defaults={"followed_label": str(followed)[:300]},
            )
            if not _confirmation_due(subscription):
                return False
            now = timezone.now()
            if subscription.confirmation_sent_at is not None:
                # The earlier link has expired: start over with a new key, so it stays dead.
                subscription.key = Subscription._meta.get_field("key").default()
                subscription.requested_at = now
            subscription.confirmation_sent_at = now
            subscription.save()
            send_confirmation_request(subscription)
            Delivery.objects.create(subscription=subscription, kind=Delivery.Kind.CONFIRMATION, sent_at=now)
    except IntegrityError:
        return False  # the same request, submitted twice at once: the other one sends
    return True


def _confirmation_due(subscription):
    if subscription.confirmed_at is not None:
        return False
    sent = subscription.confirmation_sent_at
    return sent is None or sent < timezone.now() - datetime.timedelta(days=settings.ALERTS_CONFIRM_DAYS)


def forget_expired_requests():
    """Delete follows never confirmed whose link has expired: the address was never confirmed to be the reader's."""
    moment = timezone.now() - datetime.timedelta(days=settings.ALERTS_CONFIRM_DAYS)
    deleted, _ = Subscription.objects.unconfirmed_since(moment).delete()
    return deleted

"""Signed links: confirming a follow (expires) and unsubscribing (does not: an old digest's
link must still work). Both carry the follow's random key, never the address."""

import datetime

from django.conf import settings
from django.core.signing import BadSignature, Signer, TimestampSigner

from .models import Subscription

CONFIRM_SALT = "alerts.confirm"
UNSUBSCRIBE_SALT = "alerts.unsubscribe"


class InvalidLink(Exception):
    """The link was altered or has expired."""


class GoneLink(InvalidLink):
    """The link is genuine but its follow no longer exists (unsubscribed or expired unconfirmed)."""


def confirmation_token(subscription):
    return TimestampSigner(salt=CONFIRM_SALT).sign(subscription.key)


def unsubscribe_token(subscription):
    return Signer(salt=UNSUBSCRIBE_SALT).sign(subscription.key)


def subscription_to_confirm(token):
    max_age = datetime.timedelta(days=settings.ALERTS_CONFIRM_DAYS)
    try:
        key = TimestampSigner(salt=CONFIRM_SALT).unsign(token, max_age=max_age)
    except BadSignature as error:  # SignatureExpired is a BadSignature
        raise InvalidLink from error
    return _by_key(key)


def subscription_to_cancel(token):
    try:
        key = Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except BadSignature as error:
        raise InvalidLink from error
    return _by_key(key)


def _by_key(key):
    subscription = Subscription.objects.filter(key=key).first()
    if subscription is None:
        raise GoneLink
    return subscription

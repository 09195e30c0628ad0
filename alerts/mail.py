"""Every message to a follower carries a one-click unsubscribe: a link in the text and the
List-Unsubscribe / List-Unsubscribe-Post headers (RFC 2369, RFC 8058), which let a mail
client unsubscribe with one POST."""

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from listing.links import absolute_url

from .tokens import confirmation_token, unsubscribe_token


def unsubscribe_url(subscription):
    return absolute_url(reverse("alerts:unsubscribe", kwargs={"token": unsubscribe_token(subscription)}))


def confirm_url(subscription):
    return absolute_url(reverse("alerts:confirm", kwargs={"token": confirmation_token(subscription)}))


def send_to_follower(subscription, *, subject, template, context):
    unsubscribe = unsubscribe_url(subscription)
    body = render_to_string(template, {**context, "subscription": subscription, "unsubscribe_url": unsubscribe})
    message = EmailMessage(
        subject=subject,
        body=body,
        to=[subscription.email],
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    message.send()


def send_confirmation_request(subscription):
    send_to_follower(
        subscription,
        subject=f"Confirm: follow {subscription.followed_label} on Sanctuary Tracker",
        template="alerts/email/confirm.txt",
        context={"confirm_url": confirm_url(subscription)},
    )


def send_digest(subscription, changes, *, followed_url):
    count = len(changes)
    send_to_follower(
        subscription,
        subject=f"{subscription.followed_label}: {count} change{'s' if count != 1 else ''} on Sanctuary Tracker",
        template="alerts/email/digest.txt",
        context={"changes": changes, "followed_url": followed_url},
    )

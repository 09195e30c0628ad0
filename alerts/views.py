import logging

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from listing.throttle import rate_limited

from .following import request_follow
from .forms import FollowForm
from .targets import find_followable
from .tokens import GoneLink, InvalidLink, subscription_to_cancel, subscription_to_confirm

logger = logging.getLogger(__name__)


def is_post(request):
    return request.method == "POST"


@require_http_methods(["GET", "HEAD", "POST"])
@rate_limited("alerts", "RATE_LIMIT_FOLLOW", applies=is_post, template="429_form.html")
def follow(request, kind, key):
    followed = find_followable(kind, key)
    if followed is None:
        raise Http404("Nothing to follow at this address.")
    if request.method == "POST":
        form = FollowForm(request.POST)
        if form.is_valid():
            try:
                if not form.is_from_a_bot:
                    request_follow(form.cleaned_data["email"], followed)
                return HttpResponseRedirect(reverse("alerts:check_inbox"))
            except Exception:  # noqa: BLE001 - the mail server failing is the reader's problem only to retry
                logger.exception("confirmation request for %s not sent", followed)
                form.add_error(None, "We could not send the confirmation message just now; nothing was stored. "
                                     "Please try again later.")  # fmt: skip
                return render(request, "alerts/follow_form.html", {"form": form, "followed": followed}, status=503)
    else:
        form = FollowForm()
    return render(request, "alerts/follow_form.html", {"form": form, "followed": followed})


@require_safe
def check_inbox(request):
    return render(request, "alerts/check_inbox.html", {"confirm_days": settings.ALERTS_CONFIRM_DAYS})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """GET shows a button, POST confirms: mail scanners that open links do not subscribe anyone."""
    try:
        subscription = subscription_to_confirm(token)
    except InvalidLink:
        return render(request, "alerts/invalid_link.html", {"action": "confirm"}, status=400)
    already = subscription.confirmed_at is not None
    if request.method == "POST":
        subscription.confirm()
    context = {"subscription": subscription, "already": already, "done": request.method == "POST"}
    return render(request, "alerts/confirm.html", context)


@never_cache
@csrf_exempt  # RFC 8058 one-click: the mail client POSTs without a cookie; the signed token is the proof
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET shows one button; POST (the button, or a mail client's List-Unsubscribe-Post) deletes the follow."""
    try:
        subscription = subscription_to_cancel(token)
    except GoneLink:
        return render(request, "alerts/unsubscribed.html", {"label": None})
    except InvalidLink:
        return render(request, "alerts/invalid_link.html", {"action": "unsubscribe"}, status=400)
    if request.method == "POST":
        label = subscription.followed_label
        subscription.delete()
        return render(request, "alerts/unsubscribed.html", {"label": label})
    return render(request, "alerts/unsubscribe.html", {"subscription": subscription})

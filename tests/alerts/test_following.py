import datetime
import re
import time
from unittest import mock

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.cache import cache
from django.test import TestCase, override_settings
from django.urls import reverse

from alerts.following import forget_expired_requests
from alerts.models import Delivery, Subscription
from alerts.targets import follow_url
from alerts.tokens import confirmation_token, unsubscribe_token
from corrections.records import record_reference
from tests import factories as f

ADDRESS = "reader@example.org"
LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "alerts"}}


def link_in(message, name):
    return re.search(rf"http://127\.0\.0\.1:8000(/alerts/{name}/[^/\s]+/)", message.body).group(1)


@override_settings(CACHES=LOCAL_CACHE)
class FollowTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.city = f.make_jurisdiction("City of Sample")
        cls.condition = f.make_condition("jail_access")

    def setUp(self):
        cache.clear()

    def follow(self, followed=None, email=ADDRESS, **extra):
        return self.client.post(follow_url(followed or self.city), {"email": email, "website": "", **extra})

    def test_jurisdiction_and_condition_pages_link_to_the_follow_form(self):
        for followed in (self.city, self.condition):
            with self.subTest(followed=followed):
                page = self.client.get(followed.get_absolute_url())
                self.assertContains(page, follow_url(followed))
                self.assertEqual(page.cookies, {})
                form = self.client.get(follow_url(followed))
                self.assertContains(form, "We store only this address and what you follow")
                self.assertContains(form, 'name="csrfmiddlewaretoken"')

    def test_following_sends_one_confirmation_and_nothing_again_until_confirmed(self):
        response = self.follow(email="Reader@Example.org")
        self.assertRedirects(response, reverse("alerts:check_inbox"))
        subscription = Subscription.objects.get()
        self.assertEqual((subscription.email, subscription.followed), (ADDRESS, self.city))
        self.assertIsNone(subscription.confirmed_at)
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, [ADDRESS])
        self.assertIn(link_in(message, "confirm"), message.body)
        unsubscribe = link_in(message, "unsubscribe")
        self.assertEqual(message.extra_headers["List-Unsubscribe"], f"<http://127.0.0.1:8000{unsubscribe}>")
        self.assertEqual(message.extra_headers["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")

        self.assertRedirects(self.follow(), reverse("alerts:check_inbox"))
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(Subscription.objects.count(), 1)
        self.assertEqual(Delivery.objects.filter(kind="confirmation").count(), 1)

    def test_condition_can_be_followed_and_unknown_things_cannot(self):
        self.follow(self.condition)
        self.assertEqual(Subscription.objects.get().followed, self.condition)
        self.assertEqual(self.client.get("/alerts/follow/letter/1/").status_code, 404)
        self.assertEqual(self.client.get("/alerts/follow/jurisdiction/no-such-place/").status_code, 404)

    def test_invalid_address_and_honeypot(self):
        response = self.follow(email="not-an-address")
        self.assertContains(response, "Enter a valid email address")
        response = self.follow(website="http://spam.example")
        self.assertRedirects(response, reverse("alerts:check_inbox"))
        self.assertFalse(Subscription.objects.exists())
        self.assertEqual(mail.outbox, [])

    def test_rate_limited_per_address(self):
        for index in range(10):
            self.follow(email=f"reader{index}@example.org")
        response = self.follow(email="one-more@example.org")
        self.assertEqual(response.status_code, 429)
        self.assertEqual(len(mail.outbox), 10)

    def test_mail_server_down_stores_nothing_and_says_so(self):
        failing = {"default": {"BACKEND": "tests.corrections.test_admin.FailingBackend"}}
        with self.settings(MAILERS=failing), mock.patch("alerts.views.logger"):
            response = self.follow()
        self.assertContains(response, "We could not send the confirmation message", status_code=503)
        self.assertFalse(Subscription.objects.exists())
        self.assertRedirects(self.follow(), reverse("alerts:check_inbox"))
        self.assertEqual(len(mail.outbox), 1)

    def test_csrf_is_enforced_on_the_follow_form(self):
        client = self.client_class(enforce_csrf_checks=True)
        self.assertEqual(client.post(follow_url(self.city), {"email": ADDRESS}).status_code, 403)


class TokenTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.city = f.make_jurisdiction("City of Sample")

    def setUp(self):
        self.subscription = Subscription.objects.create(
            email=ADDRESS, followed=self.city, followed_label="City of Sample"
        )

    def confirm_path(self, token=None):
        return reverse("alerts:confirm", kwargs={"token": token or confirmation_token(self.subscription)})

    def unsubscribe_path(self, token=None):
        return reverse("alerts:unsubscribe", kwargs={"token": token or unsubscribe_token(self.subscription)})

    def test_opening_the_link_does_not_confirm_pressing_the_button_does(self):
        page = self.client.get(self.confirm_path())
        self.assertContains(page, "Yes, send me the changes")
        self.assertIn("no-store", page["Cache-Control"])
        self.subscription.refresh_from_db()
        self.assertIsNone(self.subscription.confirmed_at)
        self.assertContains(self.client.post(self.confirm_path()), "your follow is confirmed")
        self.subscription.refresh_from_db()
        self.assertIsNotNone(self.subscription.confirmed_at)
        self.assertEqual(self.subscription.changes_sent_until, self.subscription.confirmed_at)

    def test_reused_confirmation_link_changes_nothing(self):
        path = self.confirm_path()
        self.client.post(path)
        self.subscription.refresh_from_db()
        confirmed_at = self.subscription.confirmed_at
        response = self.client.post(path)
        self.assertContains(response, "already confirmed")
        self.subscription.refresh_from_db()
        self.assertEqual(self.subscription.confirmed_at, confirmed_at)

    def test_tampered_links_are_refused(self):
        token = confirmation_token(self.subscription)
        key, stamp, signature = token.split(":")
        for bad in [f"{key}x:{stamp}:{signature}", f"{key}:{stamp}:{signature[:-2]}AA", "nonsense",
                    unsubscribe_token(self.subscription)]:  # fmt: skip
            with self.subTest(token=bad):
                self.assertEqual(self.client.post(self.confirm_path(bad)).status_code, 400)
        for bad in ["nonsense", f"{self.subscription.key}:forged", confirmation_token(self.subscription)]:
            with self.subTest(token=bad):
                self.assertEqual(self.client.post(self.unsubscribe_path(bad)).status_code, 400)
        self.subscription.refresh_from_db()
        self.assertIsNone(self.subscription.confirmed_at)
        self.assertTrue(Subscription.objects.exists())

    def test_expired_confirmation_link_is_refused_and_a_new_request_sends_a_new_one(self):
        eight_days_ago = time.time() - 8 * 86400
        with mock.patch("django.core.signing.time.time", return_value=eight_days_ago):
            old_token = confirmation_token(self.subscription)
        self.subscription.confirmation_sent_at = self.subscription.requested_at - datetime.timedelta(days=8)
        self.subscription.save()
        response = self.client.post(self.confirm_path(old_token))
        self.assertContains(response, "has expired", status_code=400)
        self.subscription.refresh_from_db()
        self.assertIsNone(self.subscription.confirmed_at)

        self.client.post(follow_url(self.city), {"email": ADDRESS})
        self.assertEqual(len(mail.outbox), 1)
        fresh = link_in(mail.outbox[0], "confirm")
        self.assertContains(self.client.post(fresh), "your follow is confirmed")

    def test_unsubscribe_deletes_the_follow_and_a_reused_link_says_so(self):
        path = self.unsubscribe_path()
        page = self.client.get(path)
        self.assertContains(page, "Unsubscribe and delete my address")
        self.assertTrue(Subscription.objects.exists())
        self.assertContains(self.client.post(path), "You no longer follow City of Sample")
        self.assertFalse(Subscription.objects.exists())
        self.assertContains(self.client.post(path), "This follow no longer exists")
        self.assertContains(self.client.get(path), "This follow no longer exists")

    def test_one_click_unsubscribe_needs_no_cookie(self):
        """RFC 8058: the mail client POSTs List-Unsubscribe=One-Click with no session or CSRF cookie."""
        client = self.client_class(enforce_csrf_checks=True)
        response = client.post(self.unsubscribe_path(), {"List-Unsubscribe": "One-Click"})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Subscription.objects.exists())

    def test_unconfirmed_requests_are_forgotten_when_their_link_expires(self):
        Subscription.objects.filter(pk=self.subscription.pk).update(
            requested_at=self.subscription.requested_at - datetime.timedelta(days=8)
        )
        confirmed = Subscription.objects.create(email="other@example.org", followed=self.city, followed_label="x")
        confirmed.confirm()
        self.assertEqual(forget_expired_requests(), 1)
        self.assertQuerySetEqual(Subscription.objects.all(), [confirmed])


class PrivacyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.city = f.make_jurisdiction("City of Sample")
        cls.condition = f.make_condition("jail_access")

    def test_no_email_address_is_rendered_on_a_public_page(self):
        self.client.post(follow_url(self.city), {"email": ADDRESS})
        self.client.post(follow_url(self.condition), {"email": ADDRESS})
        self.client.post(
            reverse("corrections:new"),
            {"about": record_reference(self.city), "what_is_wrong": "a", "what_is_right": "b", "email": ADDRESS},
        )
        subscription = Subscription.objects.first()
        paths = [
            self.city.get_absolute_url(), self.condition.get_absolute_url(), follow_url(self.city),
            reverse("alerts:check_inbox"), reverse("corrections:thanks"), "/", "/timeline/", "/feeds/events/",
            reverse("alerts:confirm", kwargs={"token": confirmation_token(subscription)}),
            reverse("alerts:unsubscribe", kwargs={"token": unsubscribe_token(subscription)}),
        ]  # fmt: skip
        for path in paths:
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertEqual(response.status_code, 200)
                self.assertNotIn(ADDRESS, response.content.decode())
                self.assertNotIn("reader@", response.content.decode())

    def test_admin_shows_addresses_only_with_the_permission(self):
        Subscription.objects.create(email=ADDRESS, followed=self.city, followed_label="City of Sample")
        staff = get_user_model().objects.create_user("staff", password="a-long-passphrase", is_staff=True)
        staff.user_permissions.add(Permission.objects.get(codename="view_subscription"))
        self.client.force_login(staff)
        listing = reverse("admin:alerts_subscription_changelist")
        change = reverse("admin:alerts_subscription_change", args=[Subscription.objects.get().pk])
        for path in (listing, change):
            self.assertNotContains(self.client.get(path), ADDRESS)
        self.assertNotContains(self.client.get(listing, {"q": "reader"}), ADDRESS)
        staff.user_permissions.add(
            Permission.objects.get(codename="view_email_address", content_type__app_label="alerts")
        )
        self.client.force_login(get_user_model().objects.get(pk=staff.pk))
        for path in (listing, change):
            self.assertContains(self.client.get(path), ADDRESS)

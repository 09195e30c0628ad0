from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from corrections.models import Correction
from corrections.notify import notify_due_readers, notify_reader
from tests import factories as f


def make_correction(record, **kwargs):
    kwargs.setdefault("what_is_wrong", "Wrong operator.")
    kwargs.setdefault("what_is_right", "The state runs it.")
    return Correction.objects.create(record=record, record_label=str(record), **kwargs)


class ModerationQueueTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = get_user_model().objects.create_superuser("editor", "editor@example.org", "a-long-passphrase")
        cls.city = f.make_jurisdiction("City of Sample")

    def setUp(self):
        self.client.force_login(self.editor)

    def change(self, correction, **data):
        form = {"status": "new", "editor_note": "", "change_link": "", **data}
        return self.client.post(reverse("admin:corrections_correction_change", args=[correction.pk]), form)

    def test_queue_lists_filters_and_counts_new_items_on_the_admin_index(self):
        make_correction(self.city)
        make_correction(self.city)
        make_correction(self.city, status="rejected", resolved_at=timezone.now())
        index = self.client.get(reverse("admin:index"))
        self.assertContains(index, "2 new corrections from readers")
        listing = self.client.get(reverse("admin:corrections_correction_changelist"), {"status__exact": "new"})
        self.assertContains(listing, "2 corrections")
        self.assertContains(listing, self.city.get_absolute_url())
        self.assertContains(listing, reverse("admin:jurisdictions_jurisdiction_change", args=[self.city.pk]))

    def test_accepting_needs_the_change_link_and_records_who_and_when(self):
        correction = make_correction(self.city)
        response = self.change(correction, status="accepted")
        self.assertContains(response, "edit the record, then link the change here")
        history = reverse("admin:jurisdictions_jurisdiction_history", args=[self.city.pk])
        response = self.change(correction, status="accepted", change_link=f"https://tracker.example.org{history}")
        self.assertEqual(response.status_code, 302)
        correction.refresh_from_db()
        self.assertEqual((correction.status, correction.resolved_by), ("accepted", self.editor))
        self.assertIsNotNone(correction.resolved_at)
        self.city.refresh_from_db()
        self.assertEqual(self.city.name, "City of Sample")  # accepting changes no data

    def test_reader_who_left_an_email_is_told_exactly_once_and_the_address_is_erased(self):
        correction = make_correction(self.city, email="reader@example.org")
        with self.captureOnCommitCallbacks(execute=True):
            self.change(correction, status="rejected", editor_note="The source says the county.")
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["reader@example.org"])
        self.assertIn("The source says the county.", message.body)
        self.assertIn("http://127.0.0.1:8000" + self.city.get_absolute_url(), message.body)
        correction.refresh_from_db()
        self.assertEqual(correction.email, "")
        self.assertIsNotNone(correction.reader_notified_at)
        with self.captureOnCommitCallbacks(execute=True):
            self.change(correction, status="duplicate")
        self.assertFalse(notify_reader(correction))
        self.assertEqual(notify_due_readers(), 0)
        self.assertEqual(len(mail.outbox), 1)

    def test_a_failed_message_is_retried_by_send_alerts(self):
        correction = make_correction(self.city, email="reader@example.org", status="rejected",
                                     resolved_at=timezone.now())  # fmt: skip
        with self.settings(MAILERS={"default": {"BACKEND": "tests.corrections.test_admin.FailingBackend"}}):
            self.assertFalse(notify_reader(correction))
        correction.refresh_from_db()
        self.assertEqual(correction.email, "reader@example.org")
        self.assertEqual(notify_due_readers(), 1)
        self.assertEqual(notify_due_readers(), 0)
        self.assertEqual(len(mail.outbox), 1)

    def test_email_is_shown_only_with_the_permission(self):
        correction = make_correction(self.city, email="reader@example.org")
        staff = get_user_model().objects.create_user("staff", password="a-long-passphrase", is_staff=True)
        staff.user_permissions.add(Permission.objects.get(codename="change_correction"))
        self.client.force_login(staff)
        url = reverse("admin:corrections_correction_change", args=[correction.pk])
        page = self.client.get(url)
        self.assertContains(page, "they get one message when it is resolved")
        self.assertNotContains(page, "reader@example.org")
        self.assertNotContains(self.client.get(reverse("admin:corrections_correction_changelist")),
                               "reader@example.org")  # fmt: skip
        staff.user_permissions.add(
            Permission.objects.get(codename="view_email_address", content_type__app_label="corrections")
        )
        staff = get_user_model().objects.get(pk=staff.pk)
        self.client.force_login(staff)
        self.assertContains(self.client.get(url), "reader@example.org")

    def test_editors_cannot_add_corrections_themselves(self):
        response = self.client.get(reverse("admin:corrections_correction_add"))
        self.assertEqual(response.status_code, 403)


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server down")

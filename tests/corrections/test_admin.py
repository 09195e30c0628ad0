from io import StringIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from corrections.models import Correction
from corrections.notify import notify_due_readers, notify_reader
from seed.roles import DATA_MANAGER, EDITOR
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
        self.assertContains(listing, reverse("admin:jurisdictions_jurisdiction_change", args=[self.city.pk]))
        page = self.client.get(reverse("admin:corrections_correction_change", args=[Correction.objects.first().pk]))
        self.assertContains(page, f'<a href="{self.city.get_absolute_url()}">public page</a>', html=True)

    def test_queue_query_count_does_not_grow_with_rows(self):
        def count_queries():
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(reverse("admin:corrections_correction_changelist")).status_code, 200)
            return len(queries)

        facility = f.make_facility(self.city)
        for record in (self.city, facility):
            make_correction(record)
        few = count_queries()
        for index in range(10):
            make_correction(f.make_jurisdiction(f"Place {index}") if index % 2 else f.make_facility(self.city))
        self.assertEqual(count_queries(), few)

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

    def test_editor_role_moderates_without_seeing_addresses_and_data_managers_see_them(self):
        call_command("create_roles", stdout=StringIO())
        correction = make_correction(self.city, email="reader@example.org")
        url = reverse("admin:corrections_correction_change", args=[correction.pk])
        for role, sees_address in ((EDITOR, False), (DATA_MANAGER, True)):
            with self.subTest(role=role):
                user = get_user_model().objects.create_user(role, password="a-long-passphrase", is_staff=True)
                user.groups.add(Group.objects.get(name=role))
                self.client.force_login(user)
                page = self.client.get(url)
                self.assertContains(page, 'name="status"')
                self.assertEqual("reader@example.org" in page.content.decode(), sees_address)

    def test_editors_cannot_add_corrections_themselves(self):
        response = self.client.get(reverse("admin:corrections_correction_add"))
        self.assertEqual(response.status_code, 403)


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server down")

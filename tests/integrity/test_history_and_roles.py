import shutil
import tempfile
from io import StringIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.db.models import ProtectedError
from django.test import TestCase
from django.urls import reverse

from letters.models import Letter
from seed.roles import DATA_MANAGER, EDITOR
from tests import factories as f


class HistoryAndProtectionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.state = f.make_jurisdiction("State of Maryland", kind="state", state="MD")
        cls.city = f.make_jurisdiction("City of Baltimore", state="MD", parent=cls.state)
        cls.program = f.make_program("PSP", kind="technical_assistance")
        cls.condition = f.make_condition("jail_access")
        cls.letter = f.make_letter(cls.city, cls.program, [cls.condition])
        cls.event = f.make_event([cls.city])
        cls.admin = get_user_model().objects.create_superuser("manager", "m@example.org", "long-passphrase-11")

    def setUp(self):
        self.client.force_login(self.admin)

    def test_an_admin_edit_is_recorded_with_its_author_and_diff(self):
        url = reverse("admin:letters_letter_change", args=[self.letter.pk])
        form = self.client.get(url).context["adminform"].form
        data = {name: value for name, value in form.initial.items() if value is not None and name != "document"}
        data.update(
            deadline="2017-08-25", sent_on="2017-08-03", program=self.program.pk, recipient=self.city.pk,
            **{"demands-TOTAL_FORMS": "1", "demands-INITIAL_FORMS": "1", "demands-0-id": self.letter.demands.get().pk,
               "demands-0-letter": self.letter.pk, "demands-0-condition": self.condition.pk,
               "Letter_sources-TOTAL_FORMS": "1", "Letter_sources-INITIAL_FORMS": "1",
               "Letter_sources-0-id": Letter.sources.through.objects.get(letter=self.letter).pk,
               "Letter_sources-0-letter": self.letter.pk, "Letter_sources-0-source": self.letter.sources.get().pk,
               "responses-TOTAL_FORMS": "0", "responses-INITIAL_FORMS": "0"},
        )  # fmt: skip
        response = self.client.post(url, data)
        self.assertEqual(
            response.status_code, 302, getattr(response, "context", None) and response.context.get("errors")
        )
        newest, previous = self.letter.history.all()[:2]
        self.assertEqual(newest.history_user, self.admin)
        self.assertEqual(newest.diff_against(previous).changed_fields, ["deadline"])
        history_page = self.client.get(reverse("admin:letters_letter_history", args=[self.letter.pk]))
        self.assertContains(history_page, "Deadline")
        public = self.client.get(self.letter.get_absolute_url())
        self.assertContains(public, "Letter changed: Deadline changed from August 18, 2017 to August 25, 2017.")
        self.assertContains(public, "Last updated")
        self.assertNotContains(public, "manager")  # editors' names stay private

    def test_deleting_referenced_records_is_refused(self):
        for obj in (self.city, self.program, self.condition, self.letter.sources.get(), self.state):
            with self.subTest(obj=str(obj)), self.assertRaises(ProtectedError), transaction.atomic():
                obj.delete()
        self.assertTrue(Letter.objects.filter(pk=self.letter.pk).exists())

    def test_admin_delete_page_explains_what_protects_a_source(self):
        source = self.letter.sources.get()
        response = self.client.get(reverse("admin:sources_source_delete", args=[source.pk]))
        self.assertContains(response, "would require deleting the following protected related objects")
        self.assertContains(response, f"Letter: {self.letter}")
        response = self.client.post(reverse("admin:sources_source_delete", args=[source.pk]), {"post": "yes"})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(self.letter.sources.exists())

    def test_a_deleted_letter_stays_recoverable_from_history(self):
        other = f.make_letter(self.city, self.program, [self.condition], addressee="Mayor")
        pk = other.pk
        other.delete()
        deletion, before_deletion = Letter.history.filter(id=pk)[:2]
        self.assertEqual(deletion.history_type, "-")
        # The admin shows the last saved version, from which it can be restored.
        page = self.client.get(reverse("admin:letters_letter_simple_history", args=[pk, before_deletion.history_id]))
        self.assertContains(page, "Mayor")
        before_deletion.instance.save()
        self.assertEqual(Letter.objects.get(pk=pk).addressee, "Mayor")


class RoleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("create_roles", stdout=StringIO())
        users = get_user_model().objects
        cls.editor = users.create_user("ed", "ed@example.org", "long-passphrase-11", is_staff=True)
        cls.editor.groups.add(Group.objects.get(name=EDITOR))
        cls.manager = users.create_user("dm", "dm@example.org", "long-passphrase-11", is_staff=True)
        cls.manager.groups.add(Group.objects.get(name=DATA_MANAGER))
        city = f.make_jurisdiction("City of Stockton")
        cls.letter = f.make_letter(city, f.make_program("PSP", kind="technical_assistance"))

    def test_editor_can_add_and_change_letters_but_not_delete_or_import(self):
        self.client.force_login(self.editor)
        self.assertEqual(self.client.get(reverse("admin:letters_letter_add")).status_code, 200)
        self.assertEqual(
            self.client.get(reverse("admin:letters_letter_change", args=[self.letter.pk])).status_code, 200
        )
        self.assertEqual(self.client.get(reverse("admin:sources_source_add")).status_code, 200)
        self.assertEqual(
            self.client.post(
                reverse("admin:letters_letter_delete", args=[self.letter.pk]), {"post": "yes"}
            ).status_code,
            403,
        )
        self.assertEqual(self.client.get(reverse("admin:letters_letter_import")).status_code, 403)
        self.assertEqual(self.client.get(reverse("admin:jurisdictions_jurisdiction_add")).status_code, 403)
        self.assertTrue(Letter.objects.filter(pk=self.letter.pk).exists())

    def test_data_manager_can_import_and_delete(self):
        self.client.force_login(self.manager)
        self.assertEqual(self.client.get(reverse("admin:letters_letter_import")).status_code, 200)
        self.assertEqual(self.client.get(reverse("admin:jurisdictions_jurisdiction_import")).status_code, 200)
        response = self.client.post(reverse("admin:letters_letter_delete", args=[self.letter.pk]), {"post": "yes"})
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Letter.objects.filter(pk=self.letter.pk).exists())

    def test_running_the_command_again_changes_nothing(self):
        before = {g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()}
        call_command("create_roles", stdout=StringIO())
        after = {g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()}
        self.assertEqual(before, after)
        self.assertIn("import_letter", after[DATA_MANAGER])
        self.assertNotIn("import_letter", after[EDITOR])
        self.assertNotIn("delete_letter", after[EDITOR])


class LetterDocumentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = get_user_model().objects.create_superuser("manager", "m@example.org", "long-passphrase-11")
        cls.city = f.make_jurisdiction("City of Stockton")
        cls.program = f.make_program("PSP", kind="technical_assistance")
        cls.condition = f.make_condition("jail_access")

    def setUp(self):
        self.client.force_login(self.admin)
        self.media = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.media, True)
        override = self.settings(MEDIA_ROOT=self.media)
        override.enable()
        self.addCleanup(override.disable)

    def post_letter(self, upload):
        return self.client.post(
            reverse("admin:letters_letter_add"),
            {
                "program": self.program.pk, "recipient": self.city.pk, "addressee": "Stockton Police Department",
                "sent_on": "2017-08-03", "deadline": "2017-08-18",
                "document": SimpleUploadedFile(upload[0], upload[1], "application/pdf"),
                "demands-TOTAL_FORMS": "1", "demands-INITIAL_FORMS": "0", "demands-0-condition": self.condition.pk,
                "Letter_sources-TOTAL_FORMS": "1", "Letter_sources-INITIAL_FORMS": "0",
                "Letter_sources-0-source": f.make_source().pk,
                "responses-TOTAL_FORMS": "0", "responses-INITIAL_FORMS": "0",
            },
        )  # fmt: skip

    def test_uploaded_pdf_text_is_extracted_stored_safely_and_searchable(self):
        response = self.post_letter(("../../etc/passwd.pdf", f.make_pdf("Detainer subpoena clawback warning")))
        self.assertEqual(response.status_code, 302)
        letter = Letter.objects.get()
        self.assertIn("Detainer subpoena clawback warning", letter.document_text)
        self.assertRegex(letter.document.name, r"^letters/[0-9a-f]{32}\.pdf$")
        results = self.client.get("/search/", {"q": "clawback", "format": "json"}).json()["results"]
        self.assertEqual([r["title"] for r in results], ["PSP letter to City of Stockton"])
        self.assertIn("<mark>", results[0]["snippet"].lower())
        pdf = self.client.get(reverse("letters:document", args=[letter.pk]))
        self.assertEqual(pdf["Content-Type"], "application/pdf")

    def test_a_file_that_is_not_a_pdf_is_a_form_error(self):
        response = self.post_letter(("letter.pdf", b"MZ\x90\x00 not a pdf"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "The file is not a PDF.")
        self.assertEqual(Letter.objects.count(), 0)

    def test_an_oversized_file_is_a_form_error(self):
        with self.settings(LETTER_DOCUMENT_MAX_BYTES=100):
            response = self.post_letter(("letter.pdf", f.make_pdf("x" * 200)))
        self.assertContains(response, "The file is larger than 0 MB.")

from io import StringIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from sanctuary_lists.models import JurisdictionAlias, ListEntry, PublishedList
from seed.roles import DATA_MANAGER, EDITOR
from tests import factories as f

CSV = (
    "jurisdiction_name,kind,state,source_url,doj_list_section,notes\n"
    "San Francisco County,county,CA,https://news.example.org/list,Counties,\n"
    "San Francisco,city,CA,https://news.example.org/list,Cities,\n"
)
LIST = {
    "title": "DOJ list",
    "slug": "doj",
    "publisher": "U.S. Department of Justice",
    "published_on": "2025-08-05",
    "source_urls": "https://news.example.org/release",
}


class ImportAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = get_user_model().objects.create_superuser("editor", "editor@example.org", "a-long-passphrase")
        cls.sf = f.make_jurisdiction("City and County of San Francisco", kind="consolidated")
        cls.url = reverse("admin:sanctuary_lists_publishedlist_import")

    def setUp(self):
        self.client.force_login(self.user)

    def test_pages_render(self):
        for model in ("publishedlist", "listentry", "listdispute", "jurisdictionalias"):
            for view in ("changelist", "add"):
                with self.subTest(model=model, view=view):
                    self.assertEqual(self.client.get(reverse(f"admin:sanctuary_lists_{model}_{view}")).status_code, 200)
        self.assertContains(self.client.get(reverse("admin:sanctuary_lists_publishedlist_changelist")), self.url)
        self.assertEqual(self.client.get(self.url).status_code, 200)

    def test_preview_import_with_confirmed_matches(self):
        upload = SimpleUploadedFile("list.csv", CSV.encode())
        preview = self.client.post(self.url, {**LIST, "csv_file": upload, "preview": "1"})
        self.assertContains(preview, "Preview (dry run: nothing has been written)")
        self.assertContains(preview, "lines 2, 3 match the same jurisdiction")
        self.assertNotContains(preview, 'name="import"')
        self.assertEqual(PublishedList.objects.count(), 0)
        # The editor confirms both rows; the file travels in the hidden field.
        confirmed = {**LIST, "csv_text": CSV, "confirm-2": self.sf.slug, "confirm-3": self.sf.slug}
        self.assertContains(self.client.post(self.url, {**confirmed, "preview": "1"}), 'name="import"')
        self.assertEqual(PublishedList.objects.count(), 0)
        response = self.client.post(self.url, {**confirmed, "import": "1"})
        published = PublishedList.objects.get(slug="doj")
        self.assertRedirects(response, reverse("admin:sanctuary_lists_publishedlist_change", args=[published.pk]))
        self.assertEqual(ListEntry.objects.filter(published_list=published, jurisdiction=self.sf).count(), 2)
        self.assertEqual(JurisdictionAlias.objects.filter(jurisdiction=self.sf).count(), 2)
        self.assertEqual(list(published.sources.values_list("url", flat=True)), ["https://news.example.org/release"])

    def test_import_button_does_nothing_while_a_row_is_ambiguous(self):
        self.client.post(self.url, {**LIST, "csv_text": CSV, "import": "1"})
        self.assertEqual(PublishedList.objects.count(), 0)

    def test_only_data_managers_import(self):
        call_command("create_roles", stdout=StringIO())
        users = get_user_model().objects
        for name, group, status in (("ed", EDITOR, 403), ("dm", DATA_MANAGER, 200)):
            user = users.create_user(name, f"{name}@example.org", "long-passphrase-11", is_staff=True)
            user.groups.add(Group.objects.get(name=group))
            self.client.force_login(user)
            with self.subTest(group=group):
                self.assertEqual(self.client.get(self.url).status_code, status)
        self.client.force_login(users.get(username="ed"))
        self.assertEqual(self.client.get(reverse("admin:sanctuary_lists_listdispute_add")).status_code, 200)

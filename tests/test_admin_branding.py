from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse

from letters.models import Letter


class AdminBrandingAndDatesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = get_user_model().objects.create_superuser("manager", "m@example.org", "long-passphrase-11")

    def setUp(self):
        self.client.force_login(self.admin)

    def test_admin_is_named_after_the_site(self):
        response = self.client.get(reverse("admin:index"))
        self.assertContains(response, "Sanctuary Tracker admin")
        self.assertNotContains(response, "Django administration")
        self.assertNotContains(response, "Django site admin")

    def test_date_only_fields_load_the_script_that_drops_the_time_zone_warning(self):
        response = self.client.get(reverse("admin:letters_letter_add"))
        content = response.content.decode()
        self.assertIn('class="vDateField"', content)  # sent_on and deadline are plain dates
        self.assertIn("js/admin-dates.js", content)
        self.assertLess(content.index("admin/js/admin/DateTimeShortcuts.js"), len(content))

    def test_addressee_confirmed_is_not_ticked_on_a_new_letter(self):
        response = self.client.get(reverse("admin:letters_letter_add"))
        self.assertFalse(response.context["adminform"].form.initial.get("addressee_confirmed", False))
        self.assertFalse(Letter._meta.get_field("addressee_confirmed").default)
        self.assertNotContains(response, 'name="addressee_confirmed" checked')

from django.contrib import admin

from .models import Delivery, Subscription


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = ["kind", "sent_at", "covers_from", "covers_until", "changes"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """Followers, with their addresses shown only to staff holding alerts.view_email_address."""

    list_display = ["followed_label", "address", "requested_at", "confirmed_at", "changes_sent_until"]
    list_filter = [("confirmed_at", admin.EmptyFieldListFilter), ("content_type", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["followed_label"]
    list_select_related = ["content_type"]
    inlines = [DeliveryInline]
    fields = ["followed_label", "address", "requested_at", "confirmation_sent_at", "confirmed_at", "changes_sent_until"]
    readonly_fields = [*fields, "email"]

    def get_list_display(self, request):
        return self._with_address(request, self.list_display)

    def get_fields(self, request, obj=None):
        return self._with_address(request, self.fields)

    def get_search_fields(self, request):
        # Searching by address would tell staff without the permission whether an address follows.
        return self._with_address(request, self.search_fields, extra=["email"])

    @staticmethod
    def _with_address(request, names, extra=None):
        if request.user.has_perm("alerts.view_email_address"):
            return [("email" if name == "address" else name) for name in names] + (extra or [])
        return list(names)

    @admin.display(description="Email address")
    def address(self, subscription):
        return "hidden (needs the “see followers' email addresses” permission)"

    def has_add_permission(self, request):
        return False  # readers follow through the public form, which confirms the address

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from dataentry.protection import ProtectReferencedAdminMixin

from .models import Source


@admin.register(Source)
class SourceAdmin(ProtectReferencedAdminMixin, SimpleHistoryAdmin):
    list_display = ["url", "title", "publisher", "published_on"]
    search_fields = ["url", "title", "publisher"]
    list_filter = ["publisher"]
    date_hierarchy = "published_on"

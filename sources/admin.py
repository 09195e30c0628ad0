from django.contrib import admin

from .models import Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["url", "title", "publisher", "published_on"]
    search_fields = ["url", "title", "publisher"]
    list_filter = ["publisher"]
    date_hierarchy = "published_on"

from django.contrib import admin


def annotation_filter(annotation, choices, title):
    """An admin list filter over a queryset annotation (Django's own filters need a field)."""

    class AnnotationFilter(admin.SimpleListFilter):
        parameter_name = annotation

        def lookups(self, request, model_admin):
            return choices.choices

        def queryset(self, request, queryset):
            if self.value() in choices.values:
                return queryset.filter(**{annotation: self.value()})
            return queryset

    AnnotationFilter.title = title
    return AnnotationFilter

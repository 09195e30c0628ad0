"""The two admin roles. Editors enter and correct facts and moderate readers' corrections;
data managers also import and delete, and see readers' email addresses."""

from django.contrib.auth.models import Group, Permission

EDITOR = "Editor"
DATA_MANAGER = "Data manager"

EDITOR_EDITS = {
    "letters": ["letter", "demand", "response", "event", "batch"],
    "sources": ["source"],
    "sanctuary_lists": ["listdispute"],
}
# Editors need to see what they link to (autocomplete asks for view permission).
EDITOR_VIEWS = {
    "jurisdictions": ["jurisdiction", "facility", "booking"],
    "programs": ["program", "condition", "programcondition"],
    "sanctuary_lists": ["publishedlist", "listentry", "jurisdictionalias"],
}
# Readers' suggestions: editors resolve them, without seeing the readers' addresses.
EDITOR_MODERATES = {"corrections": ["correction"]}
# Importing a published list may create jurisdictions: a data manager's job.
DATA_MANAGER_APPS = ["jurisdictions", "programs", "letters", "sources", "sanctuary_lists", "corrections", "alerts"]


def _permissions(app_label, models, actions):
    codenames = [f"{action}_{model}" for model in models for action in actions]
    return Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)


def create_roles():
    """Create or refresh both groups; returns {group name: permission count}."""
    editor, _ = Group.objects.get_or_create(name=EDITOR)
    editor_permissions = []
    for app_label, models in EDITOR_EDITS.items():
        editor_permissions += _permissions(app_label, models, ["add", "change", "view"])
    for app_label, models in EDITOR_VIEWS.items():
        editor_permissions += _permissions(app_label, models, ["view"])
    for app_label, models in EDITOR_MODERATES.items():
        editor_permissions += _permissions(app_label, models, ["change", "view"])
    editor.permissions.set(editor_permissions)

    manager, _ = Group.objects.get_or_create(name=DATA_MANAGER)
    manager.permissions.set(
        Permission.objects.filter(content_type__app_label__in=DATA_MANAGER_APPS).exclude(
            content_type__model__startswith="historical"
        )
    )
    return {group.name: group.permissions.count() for group in (editor, manager)}

"""The data downloads on /data/ (the zip and the SQLite file), kept as files.

Building them answers every letter in full: over a minute at national scale (50,000
letters), past the server's 30 s timeout, so they cannot be built while a reader
waits. `manage.py build_data_files` builds both for the current data version (run it
daily and after imports, README "Scheduled jobs"); the views serve the newest built
file:

- one built for the current data version, as it is;
- none yet, on a site small enough to build within a request (at most
  ON_REQUEST_LETTERS letters: the seed data, a new site): built now, kept, served;
- otherwise the newest file of an earlier version: its name, its datapackage.json and
  the download page say which version it holds;
- none ever built: `None`, and the view says when to come back.

Files live in the default storage (a FileSystemStorage: files are moved into place)
under FOLDER, named by data version; a build removes the older ones of its kind.
"""

import os
import re

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest

from letters.models import Letter

from . import datapackage

FOLDER = "data-files"
BUILDERS = {"zip": datapackage.build_zip, "sqlite3": datapackage.build_sqlite}
ON_REQUEST_LETTERS = 5000
NAME = re.compile(r"sanctuary-tracker-data-v(\d+)\.(zip|sqlite3)")


def built(kind):
    """{data version: storage path} of the files of `kind` ("zip" or "sqlite3")."""
    try:
        _, names = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return {}
    found = {}
    for name in names:
        match = NAME.fullmatch(name)
        if match and match[2] == kind:
            found[int(match[1])] = f"{FOLDER}/{name}"
    return found


def build(kind, request=None):
    """Build the `kind` file for the current data and keep it; its storage path, or
    None when the data changed while it was built (its contents would be of no one
    version: the next build catches up)."""
    before = datapackage.version()["counter"]
    filename, content = BUILDERS[kind](request or HttpRequest())
    if datapackage.version()["counter"] != before:
        return None
    path = f"{FOLDER}/{filename}"
    # Written under a name `built()` does not list, then moved into place in one step,
    # so no reader is ever served a file still being written.
    partial = default_storage.save(f"{FOLDER}/partial-{filename}", ContentFile(content))
    os.replace(default_storage.path(partial), default_storage.path(path))
    for version, older in built(kind).items():
        if version < before:
            default_storage.delete(older)
    return path


def offer(kind):
    """(data version, storage path) of the `kind` file to offer now, by the rule in
    the module's docstring: the path is None when the file is to be built on request,
    and both are None while none was ever built on a site too large to build one."""
    files = built(kind)
    current = datapackage.version()["counter"]
    if current in files:
        return current, files[current]
    if Letter.objects.count() <= ON_REQUEST_LETTERS:
        return current, None
    if files:
        return max(files), files[max(files)]
    return None, None


def file_to_serve(kind, request):
    """The storage path of the `kind` file to serve now, built first if `offer` says
    so, or None when there is none to serve."""
    version, path = offer(kind)
    if version is not None and path is None:
        path = build(kind, request)
        if path is None:  # the data changed during the build: the newest earlier file
            files = built(kind)
            path = files[max(files)] if files else None
    return path


def offered_version():
    """The data version /data/'s downloads hold now (the zip's; the command and the
    builds keep both kinds at the same version), or None while none is built on a site
    too large to build one on request."""
    return offer("zip")[0]

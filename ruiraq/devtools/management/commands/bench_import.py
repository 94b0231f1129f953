"""
``manage.py bench_import --rows 10000 --kind sources``: a large import through the admin of
the production server (gunicorn as ``make serve`` runs it, DEBUG off), timed step by step.

It migrates the configured database (as ``make serve`` does), makes an editor with a random
password, writes a file of ``--rows`` new records (sources, or actors with two aliases each),
then, over HTTP: logs in, uploads the file (the preview, a dry run), confirms it (the
import), and prints the seconds of each step and the load average. The records, their
history and the editor are deleted afterwards unless ``--keep``. Run it on a database of its
own: it writes thousands of rows.
"""

import os
import re
import secrets
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from actors.models import Actor
from articles.models import Source
from ruiraq import cache
from ruiraq.devtools import loadtest
from ruiraq.search import documents

KINDS = {"sources": Source, "actors": Actor}
TIMEOUT = 120  # seconds a step may take before the bench gives up (gunicorn's is 30)


def _csv(kind, rows, token):
    if kind == "sources":
        lines = ["title,url,outlet,kind,language,published,summary,status"]
        lines += [
            f"Bench source {n} {token},https://bench.example.org/{token}/{n},Bench Outlet,"
            f"news,en,March 2019,Talks on energy and defence number {n},draft"
            for n in range(rows)
        ]
    else:
        lines = ["kind,name,name_ru,country,description,status,aliases"]
        lines += [
            f"person,Bench Actor {n} {token},Актор {n},RU,An official number {n},draft,"
            f"B. Actor {n} {token}; BA{n} {token}"
            for n in range(rows)
        ]
    return ("\n".join(lines) + "\n").encode()


def _hidden_inputs(html):
    fields = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]*)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            fields[name.group(1)] = value.group(1) if value else ""
    return fields


class _Browser:
    """Just enough of a browser for the admin: cookies, CSRF, forms, multipart uploads."""

    def __init__(self, base):
        self.base = base
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def _csrf(self):
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def request(self, path, data=None, content_type=None):
        headers = {"Referer": self.base + path}
        if data is not None:
            headers["X-CSRFToken"] = self._csrf()
            headers["Content-Type"] = content_type or "application/x-www-form-urlencoded"
        request = urllib.request.Request(self.base + path, data=data, headers=headers)
        with self.opener.open(request, timeout=TIMEOUT) as response:
            return response.status, response.geturl(), response.read().decode()

    def post_form(self, path, fields):
        fields = {"csrfmiddlewaretoken": self._csrf(), **fields}
        return self.request(path, urllib.parse.urlencode(fields).encode())

    def post_file(self, path, fields, name, content):
        boundary = secrets.token_hex(16)
        parts = []
        for key, value in {"csrfmiddlewaretoken": self._csrf(), **fields}.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="import_file"; '
            f'filename="{name}"\r\nContent-Type: text/csv\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(path, b"".join(parts), f"multipart/form-data; boundary={boundary}")


class Command(BaseCommand):
    help = "Time a large import of sources or actors through the admin under gunicorn."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=10000)
        parser.add_argument("--kind", choices=sorted(KINDS), default="sources")
        parser.add_argument("--workers", type=int, default=3)
        parser.add_argument("--keep", action="store_true", help="Keep the imported records.")

    def handle(self, rows, kind, workers, keep, **options):
        if rows < 1:
            raise CommandError("--rows must be at least 1.")
        model = KINDS[kind]
        server = loadtest.Server(workers=workers, cache_seconds=300)
        # As ``make serve``, with the server's settings (its caches' tables, DEBUG off).
        for step in (["migrate", "--noinput"], ["createcachetable"]):
            subprocess.run(
                [sys.executable, "manage.py", *step, "--verbosity", "0"],
                cwd=settings.BASE_DIR,
                env=server.env,
                check=True,
            )
        loadtest.collectstatic(server.env)
        token = secrets.token_hex(4)
        password = secrets.token_urlsafe(16)
        editor = User.objects.create_user(f"bench-{token}", password=password, is_staff=True)
        editor.groups.add(Group.objects.get(name="Editors"))
        content = _csv(kind, rows, token)
        app, name = model._meta.app_label, model._meta.model_name
        try:
            with server:
                browser = _Browser(server.url)
                steps = {}
                started = time.monotonic()
                browser.request("/admin/login/")
                browser.post_form(
                    "/admin/login/?next=/admin/",
                    {"username": editor.username, "password": password, "next": "/admin/"},
                )
                steps["log in"] = time.monotonic() - started

                started = time.monotonic()
                browser.request(f"/admin/{app}/{name}/import/")
                status, _url, page = browser.post_file(
                    f"/admin/{app}/{name}/import/",
                    {"format": "0", "resource": "0"},
                    f"bench-{kind}.csv",
                    content,
                )
                steps["upload and preview"] = time.monotonic() - started
                confirm = _hidden_inputs(page)
                if "import_file_name" not in confirm:
                    raise CommandError(f"The preview offered no confirmation (HTTP {status}).")

                started = time.monotonic()
                status, url, _page = browser.post_form(
                    f"/admin/{app}/{name}/process_import/",
                    {
                        key: confirm[key]
                        for key in ("import_file_name", "original_file_name", "format", "resource")
                        if key in confirm
                    },
                )
                steps["confirm (import)"] = time.monotonic() - started
            imported = model._base_manager.filter(pk__in=self._written_by(model, editor)).count()
            load = " ".join(f"{value:.2f}" for value in os.getloadavg())
            vendor = connections[model._base_manager.db].vendor
            self.stdout.write(f"{kind}: {rows} rows, {vendor}, {workers} workers, load {load}")
            for step, seconds in steps.items():
                self.stdout.write(f"  {step:<20} {seconds:6.2f} s")
            self.stdout.write(f"  imported: {imported} of {rows} (confirm answered {url})")
            if imported != rows:
                raise CommandError("The import did not save every row.")
        finally:
            if not keep:
                with cache.deferred_invalidation(), documents.deferred():
                    model._base_manager.filter(pk__in=self._written_by(model, editor)).delete()
                model.history.filter(history_user=editor).delete()
            editor.delete()

    @staticmethod
    def _written_by(model, editor):
        return model.history.filter(history_user=editor).values("id")

"""No stale public page with several workers and no Redis (issue 19, item 1).

Three gunicorn workers (as `make serve` runs them, DEBUG off, no REDIS_URL) each keep their
own page cache; the content version they key it by is shared through the database. A record
published, withdrawn or brought back by a restore shows in every worker on the very next
request. Slow (a fresh database and a real server): about a minute on two busy cores.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.requires("gunicorn")

WORKERS = 3
PATHS = ("/api/v1/events/", "/sitemap-events.xml", "/feed/")
TITLE = "Visit of the workers test"
#: In every answer that lists the record: its page address.
MARKER = "/events/visit/"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    env = {
        # Its own SQLite database: no shared cache, no site address, no replicas.
        **{
            k: v
            for k, v in os.environ.items()
            if k not in ("REDIS_URL", "SITE_URL", "DATABASE_REPLICA_URLS")
        },
        "DEBUG": "0",
        "SECRET_KEY": "workers-test-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "SECURE_COOKIES": "0",
        "PUBLIC_CACHE_SECONDS": "300",
        "PYTHONPATH": str(settings.BASE_DIR),
    }

    def django(code):
        """Runs ``code`` in a Django process on the server's database, as an editor's request
        or a management command would (signals included)."""
        subprocess.run(
            [sys.executable, "-c", f"import django; django.setup()\n{code}"],
            env={**env, "DJANGO_SETTINGS_MODULE": "ruiraq.settings"},
            cwd=settings.BASE_DIR,
            check=True,
            timeout=180,
        )

    django(
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        "call_command('createcachetable')\n"
        "from tests import factories\n"
        f"factories.event(title={TITLE!r}, slug='visit', status='draft')\n"
    )
    port, log = _free_port(), tmp_path / "access.log"
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "ruiraq.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--access-logfile",
            str(log),
            "--access-logformat",
            "%(p)s %(U)s",
        ],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        yield _Server(port, log, django, env)
    finally:
        process.terminate()
        process.wait(30)


class _Server:
    def __init__(self, port, log, django, env):
        self.port, self.log, self.django, self.env = port, log, django, env

    def _served_by(self, path):
        lines = self.log.read_text().splitlines()
        return [line.split()[0] for line in lines if line.split()[1:] == [path]]

    def read_through_every_worker(self, path):
        """The bodies of requests to ``path`` until each of the workers has answered it at
        least twice (so each has cached it and answered from its cache)."""
        before = len(self._served_by(path))
        bodies = []
        for _ in range(200):
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=30) as r:
                bodies.append(r.read().decode())
            time.sleep(0.02)  # let the log line land
            workers = self._served_by(path)[before:]
            if len(set(workers)) == WORKERS and all(workers.count(w) >= 2 for w in workers):
                return bodies
        pytest.fail(f"{path}: not every worker answered in 200 requests")


def test_every_worker_serves_what_was_just_published_withdrawn_or_restored(server, tmp_path):
    def shown():
        return {
            path: [MARKER in body for body in server.read_through_every_worker(path)]
            for path in PATHS
        }

    # A draft: no worker shows it, and every worker caches that.
    assert not any(any(seen) for seen in shown().values())

    server.django(
        "from articles.models import Event\n"
        "e = Event.objects.get(slug='visit'); e.status = 'published'; e.save()"
    )
    seen = shown()
    assert all(all(s) for s in seen.values()), seen

    backup = tmp_path / "published.sqlite3"
    server.django(
        "from django.core.management import call_command\n"
        f"call_command('backup', output={str(backup)!r})"
    )
    server.django(
        "from articles.models import Event\n"
        "e = Event.objects.get(slug='visit'); e.status = 'withdrawn'; e.save()"
    )
    assert not any(any(seen) for seen in shown().values()), "a worker served it withdrawn"

    server.django(
        f"from django.core.management import call_command; "
        f"call_command('restore', {str(backup)!r}, yes=True)"
    )
    assert all(all(seen) for seen in shown().values()), "a worker served the pre-restore page"

"""
Read replicas: the public pages' and the API's reads on PostgreSQL streaming replicas, every
other read and every write on the primary (``default``).

``DATABASE_REPLICA_URLS`` (settings) adds one alias per replica (``replica1``, ``replica2``,
…) and lists them in ``REPLICA_DATABASES``. Without it nothing here routes anything.

Why not a package: django-multidb-router (its pinning router does the same job) and
django_replicated have had no release for years and predate context variables; what the
job needs is the thirty lines below.

How a request is routed (``ReplicaMiddleware`` decides once, when the request arrives, and
keeps the decision in a context variable that ``ReplicaRouter`` reads):

- Only a GET, HEAD or OPTIONS request outside the admin, without a session cookie (editors
  and reviewers are logged in, so they always read the primary) and without the pin cookie
  reads a replica; one replica per request, picked at random, so that the request sees one
  consistent state of the data.
- A request that writes (the router is asked for a database to write to) reads the primary
  from then on, as does anything inside a transaction on the primary; its response sets the
  pin cookie, so that the same browser reads the primary for ``REPLICA_PIN_SECONDS``
  (longer than the replicas' lag): no read-your-own-write surprises.
- Outside a request (management commands, the shell, background jobs) everything is the
  primary.

The public cache stays coherent: its content version is read where the page's data is read
(the database cache table goes through this router too), so a page rendered from a lagging
replica is stored under the version that replica had. With Redis as the shared cache the
version is never late while the replica may be, by its lag (well under a second on a healthy
stream): a page published in that window can be cached without the change for up to
PUBLIC_CACHE_SECONDS.
"""

import contextvars
import random
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import FileResponse

#: The cookie that keeps a browser on the primary after it wrote.
PIN_COOKIE = "ruiraq_primary"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class _Routing:
    """One request's decision: the replica it may read, and whether it wrote."""

    replica: str | None
    wrote: bool = False


_routing = contextvars.ContextVar("ruiraq_replica_routing", default=None)


def replica_for(request):
    """The replica alias this request may read, or None for the primary. Reads only the
    request (its method, path and cookies): no query, so the decision costs nothing."""
    replicas = settings.REPLICA_DATABASES
    if not replicas or request.method not in _SAFE_METHODS:
        return None
    if _primary_path(request.path_info):
        return None
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or PIN_COOKIE in cookies:
        return None
    return random.choice(replicas)


def _primary_path(path):
    """Whether the path is one of REPLICA_PRIMARY_PATHS, with or without a language prefix."""
    prefixes = settings.REPLICA_PRIMARY_PATHS
    if path.startswith(prefixes):
        return True
    code, _slash, rest = path[1:].partition("/")
    return code in dict(settings.LANGUAGES) and f"/{rest}".startswith(prefixes)


class ReplicaRouter:
    """Reads go to the request's replica while it has one; writes and the rest go to the
    primary (``None`` lets Django choose ``default``)."""

    def db_for_read(self, model, **hints):
        routing = _routing.get()
        if routing is None or routing.replica is None or routing.wrote:
            return None
        if connections["default"].in_atomic_block:
            # A transaction on the primary may hold what it has not committed yet.
            return None
        return routing.replica

    def db_for_write(self, model, **hints):
        routing = _routing.get()
        if routing is not None:
            routing.wrote = True
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # Every alias holds the same data: a record read on a replica may point at one read
        # on the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # A replica is read-only: it gets the schema by replication, never by migrate. Every
        # alias but the primary is a replica (settings: DATABASE_REPLICA_URLS); the rule does
        # not follow REPLICA_DATABASES, which switches the reads' routing only (the tests turn
        # it off, and `makemigrations --check` must still leave the replicas alone).
        return False if db != DEFAULT_DB_ALIAS else None


class ReplicaMiddleware:
    """Decides where the request reads (``replica_for``) and pins a browser that wrote.

    Placed before the session middleware, so that everything the request runs, including a
    streamed body read after the view has returned, sees the decision."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        routing = _Routing(replica_for(request))
        token = _routing.set(routing)
        try:
            response = self.get_response(request)
        finally:
            _routing.reset(token)
        if routing.replica and response.streaming and not isinstance(response, FileResponse):
            # A streamed body is produced after this returns (a file needs no database).
            response.streaming_content = _routed(response.streaming_content, routing)
        if routing.wrote or request.method not in _SAFE_METHODS:
            self._pin(response)
        return response

    def _pin(self, response):
        if not settings.REPLICA_DATABASES:
            return
        response.set_cookie(
            PIN_COOKIE,
            "1",
            max_age=settings.REPLICA_PIN_SECONDS,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )


def _routed(content, routing):
    """A streamed body, each chunk produced under the request's routing decision."""
    iterator = iter(content)
    while True:
        token = _routing.set(routing)
        try:
            chunk = next(iterator)
        except StopIteration:
            return
        finally:
            _routing.reset(token)
        yield chunk


def current_database():
    """Where a read made now would go: a replica's alias, or "default". For tests and
    diagnostics (the router decides, this only reports)."""
    return ReplicaRouter().db_for_read(None) or "default"

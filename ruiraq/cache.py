"""
The public cache: anonymous GET responses of the public pages and the API, shared by every
worker when REDIS_URL is set.

Every cached response is stored under the current *content version*, a random token that
every worker and server reads from one shared place on each cached request: the "versions"
cache (settings: Redis when configured, else a table in the database, so that several
workers without Redis agree; the process's memory only with DEBUG). Any save or deletion of
a curated record (or a change to its many-to-many links) replaces the token, and so does a
restore (``manage.py restore``), so the very next request misses and is rendered afresh in
every worker; the old entries simply expire. A random token rather than a counter, so that an
evicted token can never come back as an old value and resurrect stale pages. In the
database, the token is replaced in the edit's own transaction: no worker sees the new token
before the edit is committed.

Never cached: logged-in users (staff previews, the admin), anything but GET/HEAD, responses
that set a cookie or say private/no-store, streaming responses, anything but a 200.
"""

import contextvars
import hashlib
import uuid
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache, caches
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language, get_language_from_path

VERSION_KEY = "ruiraq:content-version"
# The API caches its own answers, after its throttle has counted the request (ruiraq.rest.mixins).
_SKIPPED_PREFIXES = ("/admin/", "/healthz", "/api/")


def content_version():
    """The current token: one read of the shared "versions" cache (one query in the database)."""
    versions = caches["versions"]
    version = versions.get(VERSION_KEY)
    if version is None:
        versions.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = versions.get(VERSION_KEY)
    return version


#: Inside deferred_invalidation(): whether something changed (the token is replaced at the end).
_pending = contextvars.ContextVar("ruiraq_cache_pending", default=None)


@contextmanager
def deferred_invalidation():
    """Within the block, the content version is replaced once, at its end, instead of after
    each saved row: for bulk paths (an import of thousands of rows, each of which would
    otherwise rewrite the shared token). Use it inside the transaction that writes the rows,
    so the new token is committed with them. Nested blocks join the outermost one."""
    if _pending.get() is not None:
        yield
        return
    pending = [False]
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
        if pending[0]:
            invalidate()


def invalidate(**kwargs):
    """Signal receiver: a curated record changed, so every cached public response is stale.

    Cache invalidation is plumbing, not domain logic, and signals are the one hook that also
    sees inline formsets, merges and deletions cascading from elsewhere. Also called after a
    restore.
    """
    pending = _pending.get()
    if pending is not None:
        pending[0] = True
        return
    caches["versions"].set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def _cache_key(request):
    parts = [
        request.method,
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        request.headers.get("Accept", ""),
        get_language() or "",
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"ruiraq:page:{content_version()}:{digest}"


def _without_language_prefix(path):
    """``path`` without its language prefix: "/ru/admin/" is "/admin/" in Russian."""
    code = get_language_from_path(path)
    if code and path.startswith(f"/{code}/"):
        return path[len(code) + 1 :]
    return path


def _cacheable_request(request):
    return (
        settings.PUBLIC_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not _without_language_prefix(request.path).startswith(_SKIPPED_PREFIXES)
        and not request.user.is_authenticated
    )


def _cacheable_response(response):
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


class PublicCacheMiddleware:
    """Serves and stores anonymous public responses; sits after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            response = self.get_response(request)
            if request.user.is_authenticated:
                # Staff may be previewing a draft: no shared cache may keep it.
                patch_cache_control(response, private=True, no_store=True)
            return response
        key = _cache_key(request)
        cached = cache.get(key)
        if cached is not None:
            cached["X-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        if _cacheable_response(response):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            cache.set(key, response, settings.PUBLIC_CACHE_SECONDS)
            response["X-Cache"] = "miss"
        return response

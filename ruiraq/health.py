"""/healthz: 200 when the database (and Redis, when configured) answers, 503 otherwise.

It says which dependency failed and nothing else: no versions, hosts or error texts.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

log = logging.getLogger(__name__)


def _database_ok():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        log.exception("health check: database unavailable")
        return False


def _cache_ok():
    if not settings.REDIS_URL:
        return True
    try:
        cache.set("healthz", "ok", 10)
        return cache.get("healthz") == "ok"
    except Exception:
        log.exception("health check: cache unavailable")
        return False


@never_cache
@require_safe
def healthz(request):
    failed = [name for name, ok in (("database", _database_ok()), ("cache", _cache_ok())) if not ok]
    if failed:
        return JsonResponse({"status": "unavailable", "failed": failed}, status=503)
    return JsonResponse({"status": "ok"})

"""
Behaviour every API view shares: empty parameters are absent, the language of record text,
the public cache (looked up after throttling), ETag and 304.
"""

import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import QueryDict
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag
from django.utils.translation import get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header
from rest_framework.exceptions import ValidationError

from ruiraq import cache as public_cache
from ruiraq import languages


class EmptyParametersMixin:
    """An empty query parameter (``?year_from=``) is treated as absent, on every endpoint.

    HTML forms send every field, filled or not, and django-filter already ignores empty
    values; doing the same for pagination, ``format`` and search keeps one rule for the whole
    API, which the schema states with ``allowEmptyValue`` (``query_parameter_rules``).
    """

    def initialize_request(self, request, *args, **kwargs):
        if any("" in values for _name, values in request.GET.lists()):
            # A new, immutable QueryDict of the non-empty values, in their order.
            kept = [(name, v) for name, values in request.GET.lists() for v in values if v != ""]
            request.GET = QueryDict(urlencode(kept), encoding=request.GET.encoding)
        return super().initialize_request(request, *args, **kwargs)


class RecordLanguageMixin:
    """Record text (titles, summaries, places, descriptions) in the language the client asks
    for: ``?lang=en|ru|ar``, else the first of Accept-Language's languages the site has,
    else English. Everything else in the API stays English. A ``lang`` outside the three is
    a 400 naming the parameter. Serializers read ``request.record_language``
    (ruiraq.rest.fields.TranslatedTextField)."""

    def initial(self, request, *args, **kwargs):
        request.record_language = self._record_language(request)
        super().initial(request, *args, **kwargs)

    @staticmethod
    def _record_language(request):
        asked = request.query_params.get("lang")
        if asked is not None:
            code = asked.strip().lower()
            if code not in languages.RECORD_LANGUAGES:
                choices = ", ".join(languages.RECORD_LANGUAGES)
                raise ValidationError({"lang": [f"Not a language of the records: use {choices}."]})
            return code
        for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
            if code == "*":
                continue
            try:
                found = get_supported_language_variant(code).split("-")[0]
            except LookupError:
                continue
            if found in languages.RECORD_LANGUAGES:
                return found
        return languages.ENGLISH


class PublicCacheMixin:
    """Answers from the public cache (ruiraq.cache), looked up after throttling.

    The site's cache middleware answers before any view runs, which would let a client
    repeat a cached request without ever meeting the throttle, and return a cached body
    where a 304 was due; so it leaves /api/ alone and the API caches here instead, under the
    same content version (any change to a curated record empties it). Handlers start with
    ``cached_response()``; ``finalize_response`` stores each rendered 200 for the next client.
    """

    def _cache_key(self, request):
        if settings.PUBLIC_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
            return None
        parts = [
            request.build_absolute_uri(),
            request.headers.get("Accept", ""),
            # Record text follows it when there is no ?lang= (RecordLanguageMixin).
            request.headers.get("Accept-Language", ""),
        ]
        digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
        return f"ruiraq:api:{public_cache.content_version()}:{digest}"

    def cached_response(self):
        """The stored answer to this very request, if any (``None`` otherwise)."""
        key = self._cache_key(self.request)
        response = cache.get(key) if key else None
        self._from_cache = response is not None
        if response is not None:
            response["X-Cache"] = "hit"
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        key = self._cache_key(request)
        if (
            key
            and not getattr(self, "_from_cache", False)
            and response.status_code == 200
            and not response.streaming
        ):
            response.render()
            cache.set(key, response, settings.PUBLIC_CACHE_SECONDS)
            response["X-Cache"] = "miss"
        return response


class ConditionalGetMixin:
    """An ETag on every successful GET, and 304 when If-None-Match still matches.

    The tag is a hash of the rendered body, so it can only match what this request would
    show (public records only) and changes with any edit, filter, page or format. The
    queries still run (or the cache answers); the saving is the transfer.
    """

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Accept", "Accept-Language"])
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if response.streaming:
            return response
        response.render()
        set_response_etag(response)
        return get_conditional_response(request, etag=response.headers["ETag"], response=response)

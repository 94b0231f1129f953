"""
Addresses of the site's pages: absolute ones from the configured site address
(settings.SITE_URL), and records' paths without a ``reverse()`` each (``record_path``).

Absolute addresses never come from the request:
``request.build_absolute_uri("//evil.example.org/x")`` (the path of a crafted request) is an
address on another host, and the 404 page for that path put it in its canonical link, og:url,
hreflang and language links.
"""

import re

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language


def local_path(path):
    """``path`` with one leading slash: "//evil.example.org/x" is the local "/evil.example.org/x",
    never a protocol-relative address of another host."""
    return "/" + path.lstrip("/")


def site_url(path="/"):
    """The absolute address of ``path`` (with its query, if any) on the site."""
    return settings.SITE_URL + local_path(path)


#: Passes the int, slug and [0-9]{1,18} converters alike; stands for the argument.
_MARK = "0000000000"
_PLAIN = re.compile(r"[-A-Za-z0-9_]+")
#: {(route, argument, language, URLconf, script prefix): (head, tail)}
_routes = {}


def record_path(route, **kwargs):
    """``reverse(route, kwargs=kwargs)`` for a route with at most one argument (a record's
    slug or id), without a ``reverse()`` per call.

    ``reverse()`` reads the active language, walks the URLconf and quotes its argument on
    every call: a list page made about 110 of them, 8–10% of its time. Here each route is
    reversed once per language (and URLconf and script prefix) with a marker in place of the
    argument, and an id or an ASCII slug (whose quoting changes nothing) goes in by string;
    any other value takes ``reverse()``. For records' own ids and slugs, which their routes
    accept: an ASCII value the route would refuse is not checked against it.
    """
    name, value = next(iter(kwargs.items()), (None, ""))
    value = str(value)
    if name is not None and not _PLAIN.fullmatch(value):
        return reverse(route, kwargs=kwargs)
    key = (
        route,
        name,
        get_language(),
        get_urlconf() or settings.ROOT_URLCONF,
        get_script_prefix(),
    )
    parts = _routes.get(key)
    if parts is None:
        if name is None:
            parts = (reverse(route), "")
        else:
            head, _, tail = reverse(route, kwargs={name: _MARK}).partition(_MARK)
            parts = (head, tail)
        _routes[key] = parts
    return f"{parts[0]}{value}{parts[1]}"

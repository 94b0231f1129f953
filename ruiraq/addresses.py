"""
Absolute addresses of the site's pages, from the configured site address (settings.SITE_URL).

Never from the request: ``request.build_absolute_uri("//evil.example.org/x")`` (the path of
a crafted request) is an address on another host, and the 404 page for that path put it in
its canonical link, og:url, hreflang and language links.
"""

from django.conf import settings


def local_path(path):
    """``path`` with one leading slash: "//evil.example.org/x" is the local "/evil.example.org/x",
    never a protocol-relative address of another host."""
    return "/" + path.lstrip("/")


def site_url(path="/"):
    """The absolute address of ``path`` (with its query, if any) on the site."""
    return settings.SITE_URL + local_path(path)

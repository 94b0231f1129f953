"""Who the client is, behind however many reverse proxies the deployment says there are, and
what a client locked out of the admin's login is told."""

from axes.helpers import get_cool_off, get_lockout_message
from django.conf import settings
from django.http import HttpResponse


def client_ip(request):
    """The client's address: REMOTE_ADDR, or with NUM_PROXIES set, the address that many hops
    back in X-Forwarded-For (the left part of that header is written by the client and can be
    forged, so it is never trusted)."""
    proxies = settings.NUM_PROXIES
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if forwarded:
            return forwarded[-min(proxies, len(forwarded))]
    return request.META.get("REMOTE_ADDR", "")


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out client (AXES_LOCKOUT_CALLABLE): 429 Too Many
    Requests, as axes answers, with Retry-After: the cool-off in seconds, so a client (or a
    script) knows when to try again instead of hammering the form."""
    response = HttpResponse(
        get_lockout_message(), status=429, content_type="text/plain; charset=utf-8"
    )
    cool_off = get_cool_off(request)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response

"""Who the client is, behind however many reverse proxies the deployment says there are."""

from django.conf import settings


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

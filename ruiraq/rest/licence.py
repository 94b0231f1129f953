"""
The data licence on every API response: ``Link: <licence>; rel="license"`` (the relation
RFC 5988 registers, which the bulk exports already send: ruiraq.site.dataset).

A middleware rather than a mixin, so that no endpoint (the lists, the details, the root, the
errors, the CSV and JSON downloads the list pages link to) can forget it; a response that
already names its licence, or already has links (pagination's prev/next), keeps them and gains
the licence beside them.
"""

from django.conf import settings

_API_PREFIX = "/api/"


def licence_link():
    return f'<{settings.DATASET_LICENCE_URL}>; rel="license"'


class LicenceLinkMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(_API_PREFIX):
            links = response.get("Link", "")
            if 'rel="license"' not in links:
                response["Link"] = f"{links}, {licence_link()}" if links else licence_link()
        return response

"""What every bulk export says about itself: when it was generated and under which licence
(settings.DATASET_LICENCE_NAME/URL), as HTTP headers and as a small metadata document."""

from django.conf import settings
from django.utils import timezone


def metadata(**extra):
    """The export's metadata: generation time (UTC, ISO 8601) and licence, plus ``extra``."""
    return {
        "name": "ruiraq",
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "licence": {"name": settings.DATASET_LICENCE_NAME, "url": settings.DATASET_LICENCE_URL},
        **extra,
    }


def add_headers(response, meta):
    """``Link: <licence>; rel="license"`` (RFC 5988's registered relation) and
    ``X-Generated-At`` on a download."""
    response["Link"] = f'<{meta["licence"]["url"]}>; rel="license"'
    response["X-Dataset-Licence"] = meta["licence"]["name"]
    response["X-Generated-At"] = meta["generated_at"]
    return response

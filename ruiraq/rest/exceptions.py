"""
The API's exception handler (settings.REST_FRAMEWORK names it). Loaded by DRF while it
defines ``APIView``: import nothing here that imports ``rest_framework.views`` at import
time.
"""

from rest_framework import renderers


def exception_handler(exc, context):
    """DRF's handler, with every error answered in JSON.

    A client asking for ``?format=csv`` with a bad filter must get a readable
    ``{"param": ["message"]}``, not an error squeezed into CSV columns.
    """
    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    request = context.get("request")
    if response is not None and request is not None:
        request.accepted_renderer = renderers.JSONRenderer()
        request.accepted_media_type = renderers.JSONRenderer.media_type
    return response

"""
The API's throttle (settings.REST_FRAMEWORK names it). Loaded by DRF while it defines
``APIView``: import nothing here that imports ``rest_framework.views``.
"""

from rest_framework import throttling
from rest_framework.settings import api_settings

from ruiraq.security import client_ip


class AnonRateThrottle(throttling.AnonRateThrottle):
    """DRF's anonymous throttle, telling clients apart as the rest of the project does.

    The client is ``ruiraq.security.client_ip`` (NUM_PROXIES hops back in X-Forwarded-For,
    never the forgeable left part), the same address the admin's login throttling uses. The
    rate is read at request time: DRF copies ``DEFAULT_THROTTLE_RATES`` into a class attribute
    when it is imported, so a changed setting (``override_settings`` in a test) would
    otherwise be ignored.
    """

    def get_ident(self, request):
        return client_ip(request)

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

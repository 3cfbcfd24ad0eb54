"""The About resource, /xapi/about (xAPI 1.0.3 Communication 2.8).

Open to anyone, with or without a version header (2.8.s5.b3, b4): a client reads it to
choose the version it speaks.
"""

from django.conf import settings
from django.http import HttpResponse

import lifelong
from lifelong.lrs.http import XRequest, json_response, xapi_view

__all__ = ["VERSIONS", "about"]

# 2.8.s5.b1: the latest patch of each major version must be listed; the earlier 1.0.x
# patches are listed too because the version header accepts them all (http.py).
VERSIONS = ["1.0.0", "1.0.1", "1.0.2", "1.0.3"]


@xapi_view(methods=["GET"], version_required=False, auth_required=False)
def about(xreq: XRequest) -> HttpResponse:
    """Answer GET/HEAD with the versions this LRS speaks and a product extension."""
    # 2.8.s5.b2: nothing outside `version` and `extensions`; extension keys are IRIs.
    return json_response(
        {
            "version": VERSIONS,
            "extensions": {
                f"{settings.SITE_URL}/xapi/extensions/lrs": {
                    "name": "Lifelong",
                    "version": lifelong.__version__,
                }
            },
        }
    )

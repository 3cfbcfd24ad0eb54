"""WSGI entry point, served by `lifelong serve` (gunicorn)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lifelong.settings")
application = get_wsgi_application()

"""WSGI entry point for serving Dugnad (gunicorn dugnad.config.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dugnad.config.settings")
application = get_wsgi_application()

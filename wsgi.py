"""`gunicorn wsgi:app` and `flask --app wsgi` from a checkout: the app of `marketplace/wsgi.py`."""

from marketplace.wsgi import app

__all__ = ["app"]

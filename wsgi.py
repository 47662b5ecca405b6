"""Entry point for gunicorn (`gunicorn wsgi:app`) and the `flask --app wsgi` commands."""

from marketplace import create_app

app = create_app()

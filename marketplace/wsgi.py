"""Entry point for gunicorn (`gunicorn marketplace.wsgi:app`) and `flask --app marketplace.wsgi`."""

import gc

from marketplace import create_app

app = create_app()

# What start-up allocated lives as long as the worker: keep the collector from walking it again
# on every full collection (one search in ten paid 60-70 ms for that before).
gc.freeze()

"""gunicorn settings for one web instance (`gunicorn -c deploy/gunicorn.conf.py wsgi:app`).

The port comes from `--bind` (the systemd template passes its instance name); workers and
threads from WEB_WORKERS / WEB_THREADS. With PROMETHEUS_MULTIPROC_DIR set (an empty folder per
instance) the metrics of every worker are added up on /metrics, and a dead worker's files are
marked so its gauges drop out.
"""

import os

workers = int(os.environ.get("WEB_WORKERS", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
worker_class = "gthread"
# nginx keeps connections to the instances open (upstream keepalive)
keepalive = 75
timeout = 30
graceful_timeout = 25
# the app logs every request as a JSON line with its request id; nginx keeps the access log
accesslog = None
errorlog = "-"
# gunicorn merges this over its defaults key by key: every part it names is given here
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "marketplace.logging_setup.LineFormatter"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        }
    },
    "root": {"level": "INFO", "handlers": ["stderr"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
    },
}


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)

"""gunicorn settings for pingxiang-cf (deploy/systemd/pingxiang-cf-web.service).

Workers: 2 × cores + 1 is the usual start; raise it, or add hosts behind
nginx, when requests queue (see the Production section of the README)."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 2))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
max_requests = 2000  # recycle workers now and then
max_requests_jitter = 200
accesslog = "-"  # journald
errorlog = "-"
# The proxy in front is nginx on the same host (or listed in FORWARDED_ALLOW_IPS).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
limit_request_line = 8190

# ruff: noqa: N999  (gunicorn's own file name convention, not an importable module)
"""gunicorn settings for the production shape (Dockerfile CMD, docker-compose service `web`).

Everything that differs per installation comes from the environment; see docs/operations.md.
"""

import os

bind = "0.0.0.0:8000"

# Sync workers: each request is short (PDFs and mail run in Celery). Scale out with more
# containers (`docker compose up -d --scale web=3`) rather than huge worker counts.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never takes a container down.
max_requests = 1000
max_requests_jitter = 100
# Heartbeat files on tmpfs: an overlay filesystem can stall workers into timeouts. Only
# gunicorn's own worker heartbeat lives there (gunicorn's documented recommendation).
SHM = "/dev/shm"  # noqa: S108
worker_tmp_dir = SHM if os.path.isdir(SHM) else None

# gunicorn 25+ opens a runtime control socket (worker count, shutdown) under $HOME; a
# container is managed by its runtime instead, and /app is read-only for the process user.
# Older gunicorn versions ignore this unknown name.
control_socket_disable = True

# Addresses whose X-Forwarded-Proto gunicorn believes. In compose only the proxy reaches
# port 8000, so the compose file sets "*"; the gunicorn default is loopback only.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Logs to stdout/stderr for the container runtime. The access log records the path without
# the query string and without the referrer: both can carry search terms, i.e. personal data.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'

"""gunicorn settings for Ondo (docs/deploy.md explains each choice). Start with: gunicorn -c gunicorn.conf.py

Environment overrides: GUNICORN_BIND, WEB_CONCURRENCY (workers), GUNICORN_TIMEOUT.
"""
import multiprocessing
import os

wsgi_app = "app:create_app('production')"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")  # nginx in front terminates TLS and buffers slow clients

# Sync workers: each handles one request at a time, which suits short database-bound requests behind a buffering
# proxy. 2 x cores + 1 is gunicorn's rule of thumb; on 2 cores more workers made pages slower in our measurements.
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))

# A request that runs longer than this is killed and its worker replaced, so one stuck request cannot hold a worker
# for long. Our slowest legitimate request (a course zip import) takes a few seconds; pages take well under one.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30  # on reload/stop: let running requests finish (a quiz being submitted)
keepalive = 5  # seconds an idle keep-alive connection from nginx stays open

# Restart each worker after about 1,000 requests (jitter so they do not all restart together): bounds slow
# memory growth without anyone noticing.
max_requests = 1000
max_requests_jitter = 100

# Request-line and header limits (gunicorn's defaults, written here on purpose); bodies are limited by the app
# (MAX_CONTENT_LENGTH, MAX_FORM_MEMORY_SIZE, MAX_FORM_PARTS in config.py) and by nginx's client_max_body_size.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

# The app writes one structured line per request (request id, user, route, status, duration), so gunicorn's
# access log would only repeat it. Errors and worker restarts still go to stderr.
accesslog = None
errorlog = "-"
loglevel = "info"

# Proxy headers are handled by the app (PROXY_FIX_HOPS); gunicorn trusts X-Forwarded-* only from nginx on this host.
forwarded_allow_ips = "127.0.0.1"

# Each worker imports the app itself (no preload): database pools and Redis connections are never shared across
# a fork, and a reload picks up new code worker by worker.
preload_app = False

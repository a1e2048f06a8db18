"""gunicorn settings for Ondo (docs/deploy.md explains each choice). Start with: gunicorn -c gunicorn.conf.py

Environment overrides: GUNICORN_BIND, WEB_CONCURRENCY (workers), GUNICORN_TIMEOUT.
"""
import gc
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

# The master loads the app once and forks the workers from it. Without this, every worker imported the app itself
# (about a second on a 2-core server), and max_requests replaces each worker every ~1,000 requests: under a class's
# load that second showed as p99 stalls of 0.3-1 s (bench/serve.py). Forked workers start at once and share the
# loaded code's memory pages. Two consequences:
# - connections opened before the fork must not be shared: post_fork below gives each worker fresh database pools
#   (redis-py notices the fork by itself and reconnects);
# - `kill -HUP` re-forks workers from the same loaded code, so a deploy restarts the service (docs/deploy.md).
# GUNICORN_PRELOAD=0 turns it off.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"


def when_ready(server):
    if not server.cfg.preload_app:
        return
    app = server.app.wsgi()
    if app.import_name == "app":  # Ondo (bench/hello.py uses this file too)
        from app import warm_up

        warm_up(app)
    # Everything loaded so far lives as long as the process: keep it out of the garbage collector's scans, so a
    # collection in a worker does not touch (and copy) the pages it shares with the master.
    gc.freeze()


def post_fork(server, worker):
    if not server.cfg.preload_app:
        return
    app = server.app.wsgi()
    sqlalchemy = getattr(app, "extensions", {}).get("sqlalchemy")
    if sqlalchemy is not None:
        with app.app_context():
            for engine in sqlalchemy.engines.values():
                # close=False: the master's connections are left to the master, the worker starts a new pool.
                engine.dispose(close=False)

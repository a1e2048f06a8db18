"""One structured log line per request, and the request id on every log record (errors included).

JSON lines in production (one object per line, for the school's log collector); readable text in development.
Hand-written rather than python-json-logger: the whole formatter is ten lines and needs no dependency.
"""
from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request
from flask.logging import default_handler

log = logging.getLogger("ondo.request")
_REQUEST_ID_RE = re.compile(r"[A-Za-z0-9._-]{8,64}")  # an id from the proxy in front, if it looks like one


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record logged while a request is handled ("-" outside requests)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
            **getattr(record, "fields", {}),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


PLAIN_FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"


def configure_logging(app: Flask) -> None:
    """Our handler on the root logger, so the ``ondo`` loggers and Flask's error log share one format.

    Only when nobody configured logging before (gunicorn leaves the root logger alone; pytest does not, and keeps
    its own capture): then the app never adds a second handler, and creating several apps adds one handler once.
    """
    logging.getLogger("ondo").setLevel(logging.INFO)
    root = logging.getLogger()
    if root.handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RequestIdFilter())
    json_lines = app.config.get("LOG_FORMAT") == "json"
    handler.setFormatter(JsonFormatter() if json_lines else logging.Formatter(PLAIN_FORMAT))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    app.logger.removeHandler(default_handler)  # Flask's own stderr handler would print errors twice


def init_request_log(app: Flask) -> None:
    configure_logging(app)

    @app.before_request
    def start_request() -> None:
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if _REQUEST_ID_RE.fullmatch(incoming) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def log_request(response):
        request_id = g.get("request_id") or uuid.uuid4().hex
        response.headers["X-Request-ID"] = request_id
        started = g.get("request_started")
        duration_ms = round((time.perf_counter() - started) * 1000, 1) if started else None
        # The user only if this request already loaded one: logging must not cost a query (or touch the session).
        user = g.get("_login_user")
        user_id = getattr(user, "id", None) if user is not None and user.is_authenticated else None
        route = request.url_rule.rule if request.url_rule else None
        fields = {"request_id": request_id, "method": request.method, "route": route, "endpoint": request.endpoint,
                  "status": response.status_code, "duration_ms": duration_ms, "user_id": user_id}
        log.info("%s %s %s %s ms user=%s", request.method, route or request.path, response.status_code,
                 duration_ms, user_id or "-", extra={"fields": fields, "request_id": request_id})
        return response

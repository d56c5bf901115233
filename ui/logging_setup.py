"""The HTTP server's log, bounded so that no client can fill the disk through it.

- `RequestLog` writes one JSON line per request on the `resqa.access` logger: a request id (also sent back as
  `X-Request-ID`), method, path cut to `MAX_PATH` characters (with its full length), status, client, ms. A bad
  request is that one line: 4xx answers log no traceback anywhere in resqa.
- `log_config` is the `logging.config.dictConfig` uvicorn applies at start: the access lines and the server's
  own messages go to stderr, or, with `log_file` (`--log-file`, RESQA_LOG_FILE), to that file, rotated when it
  reaches `log_max_bytes` (`log_backups` old files kept; so at most (backups + 1) × the cap on disk). Every
  message is cut to `MAX_MESSAGE` characters whatever a library put in it; a traceback (only for a 5xx) is kept.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ui.settings import ServeSettings

ACCESS_LOG = "resqa.access"
MAX_PATH = 200
MAX_MESSAGE = 2000


def short(text: str, limit: int = MAX_PATH) -> str:
    return text if len(text) <= limit else f"{text[:limit]}…"


class RequestLog:
    """One JSON line per request on `logger`; every response carries its `X-Request-ID`."""

    def __init__(self, app: ASGIApp, logger: logging.Logger) -> None:
        self.app, self.log = app, logger

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        t0, status, rid = time.perf_counter(), 500, secrets.token_hex(6)  # 500 unless a response starts

        async def watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", ()), (b"x-request-id", rid.encode())]}
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            if self.log.isEnabledFor(logging.INFO):  # skip building the line nobody will see
                path, client = str(scope.get("path", "")), scope.get("client")
                line: dict[str, Any] = {"id": rid, "method": short(str(scope.get("method", "")), 16),
                                        "path": short(path), "status": status,
                                        "ms": round((time.perf_counter() - t0) * 1000, 2)}
                if len(path) > MAX_PATH:
                    line["path_chars"] = len(path)
                if client:
                    line["client"] = short(str(client[0]), 64)
                self.log.info(json.dumps(line, ensure_ascii=False))


class LineFormatter(logging.Formatter):
    """Access lines as they are; other messages as `LEVEL:    message` (uvicorn's look), each cut to
    MAX_MESSAGE characters; an exception's traceback follows the line (only 5xx and crashes log one)."""

    def format(self, record: logging.LogRecord) -> str:
        message = short(" ".join(record.getMessage().split("\n")), MAX_MESSAGE)
        line = message if record.name == ACCESS_LOG else f"{record.levelname + ':':<9} {message}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def handler_config(serving: ServeSettings) -> dict[str, Any]:
    if serving.log_file:
        return {"class": "logging.handlers.RotatingFileHandler", "filename": serving.log_file,
                "maxBytes": serving.log_max_bytes, "backupCount": serving.log_backups, "encoding": "utf-8",
                "formatter": "line"}
    return {"class": "logging.StreamHandler", "stream": "ext://sys.stderr", "formatter": "line"}


def log_config(serving: ServeSettings) -> dict[str, Any]:
    """uvicorn's `log_config`: one handler (stderr, or the rotating file) for resqa's and uvicorn's loggers."""
    quiet = {"handlers": [], "propagate": False}
    return {"version": 1, "disable_existing_loggers": False,
            "formatters": {"line": {"()": f"{__name__}.LineFormatter"}},
            "handlers": {"out": handler_config(serving)},
            "loggers": {ACCESS_LOG: {"handlers": ["out"], "level": "INFO", "propagate": False},
                        "resqa": {"handlers": ["out"], "level": "INFO", "propagate": False},
                        "ui": {"handlers": ["out"], "level": "INFO", "propagate": False},
                        "uvicorn": {"handlers": ["out"], "level": "INFO", "propagate": False},
                        "uvicorn.access": quiet},
            "root": {"handlers": ["out"], "level": "WARNING"}}

"""The port a server listens on (`resqa ui`, `resqa serve`): the --port flag, else RESQA_PORT
(`ServeSettings.port`), else the command's default; and a busy port reported in one plain line, before
anything slow is loaded, instead of a library's traceback."""

from __future__ import annotations

import errno
import socket


class PortInUse(Exception):
    """Another program listens on the port; the message says which and how to choose another."""


def chosen_port(flag: int | None, setting: int, default: int) -> int:
    """The flag, else the setting (0: unset), else the command's default; ValueError outside 1-65535."""
    port = flag if flag is not None else setting or default
    if not 1 <= port <= 65535:
        raise ValueError(f"--port {port} is not a port (1-65535)")
    return port


def ensure_free(host: str, port: int) -> None:
    """PortInUse when `port` on `host` is taken. SO_REUSEADDR as uvicorn and Gradio bind: a connection of a
    stopped server still in TIME_WAIT does not count as busy."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
            other = 8080 if port != 8080 else 8081
            raise PortInUse(f"port {port} on {host} is already in use; pick another with `make run PORT={other}`, "
                            f"`--port {other}` or RESQA_PORT={other}") from None

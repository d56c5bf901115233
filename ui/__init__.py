"""resqa's interfaces: the command line, the Gradio chat and the HTTP service (imported lazily).

`ServeSettings` is the servers' settings (key, CORS, MCP, HTTP and feedback limits), beside `index.Settings`.
Both names are imported when first used, so that `resqa --help` (which imports `ui` first) stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ui.cli import main
    from ui.settings import ServeSettings

__all__ = ["ServeSettings", "main"]


def __getattr__(name: str) -> Any:
    if name == "main":
        from ui.cli import main

        return main
    if name == "ServeSettings":
        from ui.settings import ServeSettings

        return ServeSettings
    raise AttributeError(f"module 'ui' has no attribute {name!r}")

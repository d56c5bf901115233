"""resqa's interfaces: the command line, the Gradio chat and the HTTP service (imported lazily).

`ServeSettings` is the servers' settings (key, CORS, MCP, HTTP and feedback limits), beside `index.Settings`.
"""

from ui.cli import main
from ui.settings import ServeSettings

__all__ = ["ServeSettings", "main"]

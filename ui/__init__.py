"""resqa's interfaces: the command line, the Gradio chat and the HTTP service (imported lazily)."""

from ui.cli import main

__all__ = ["main"]

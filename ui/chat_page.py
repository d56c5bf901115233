"""The one web chat as a page: its Gradio Blocks (built and queued once by `ui.app.chat_app`) and the page
options that go with it — theme, CSS, JS, footer, SSR and error display, MCP. `resqa ui` launches it on
Gradio's own server (`ChatApp.launch`) and `resqa serve` mounts it at "/" (`ChatApp.mount`), with the same
options, so both show the same chat: resqa's theme and stylesheet, chips that open the highlighted quote,
Copy, the mobile source sheet, no stray Clear button.

Gradio 6 takes theme, css and js at `launch()` / `mount_gradio_app()`, not at `Blocks()`: a page served
without them is Gradio's default look with none of resqa's scripts, which is why both paths go through here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ui.settings import ServeSettings

STATIC = Path(__file__).parent / "static"


def theme() -> Any:
    """System fonts only: the default theme fetches Google Fonts, which an offline machine cannot reach."""
    import gradio as gr

    cjk = ["system-ui", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "sans-serif"]
    return gr.themes.Soft(primary_hue="blue", font=cjk, font_mono=["ui-monospace", "monospace"])


def page_options(serving: ServeSettings) -> dict[str, Any]:
    """What both `Blocks.launch` and `gradio.mount_gradio_app` take to make the page resqa's chat."""
    return {
        "theme": theme(),
        "css": (STATIC / "app.css").read_text(encoding="utf-8"),
        "js": (STATIC / "app.js").read_text(encoding="utf-8"),
        "footer_links": ["api", "gradio"],  # no footer "Settings": the chat has one, in its accordion
        "ssr_mode": False,
        "show_error": False,  # an unexpected exception's text stays in the server log
        "mcp_server": serving.mcp,
    }


@dataclass(frozen=True)
class ChatApp:
    """The chat's Blocks (queued) and its page options, served one of two ways."""

    blocks: Any
    options: dict[str, Any] = field(default_factory=dict)

    def launch(self, host: str, port: int, block: bool) -> Any:
        """On Gradio's own server (`resqa ui`); with `block`, until interrupted. Gradio's banner is not
        printed (it ends with a "share=True" hint a user cannot act on): one line with the address is."""
        self.blocks.launch(server_name=host, server_port=port, prevent_thread_lock=True, quiet=True,
                           **self.options)
        if block:
            print(f"resqa: the chat is at {self.blocks.local_url} (Ctrl+C to stop)", flush=True)
            self.blocks.block_thread()
        return self.blocks

    def mount(self, app: Any) -> None:
        """At "/" of a FastAPI app (`resqa serve`), after its own routes."""
        import gradio as gr

        gr.mount_gradio_app(app, self.blocks, path="/", **self.options)

"""Offline defaults for the libraries resqa drives: set before they are imported, never overriding a user's.

Chroma, Gradio and huggingface_hub phone home or try hubs unless told not to; every entry point (the CLI's
`main`, the `python -m evals.bench|bench_http|premise` mains, tests/conftest.py) applies these first, before
it loads Gradio or a model, so that a user running the CLI directly is offline too. Importing a package never
applies them.
"""

from __future__ import annotations

import os

DEFAULTS = {
    "GRADIO_ANALYTICS_ENABLED": "False",
    "HF_HUB_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
}
_LOCAL = ("localhost", "127.0.0.1", "::1")


def apply_offline_defaults(environ: dict[str, str] | None = None) -> None:
    """Set the offline variables unless already set; make sure loopback bypasses any proxy."""
    env = os.environ if environ is None else environ
    for key, value in DEFAULTS.items():
        env.setdefault(key, value)
    # A proxy without a loopback exemption makes Gradio's launch() hang forever.
    for key in ("NO_PROXY", "no_proxy"):
        have = [h for h in env.get(key, "").split(",") if h]
        env[key] = ",".join(have + [h for h in _LOCAL if h not in have])

"""A conversation as a file to download: Markdown for people, JSON (the Answer objects) for programs.

Both carry the document stamp (symbol and full sha256), so an exported answer says which exact text it quotes.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Any

from index import Corpus
from ui import render
from ui.chat_state import Session
from ui.strings import t


def markdown(session: Session, corpus: Corpus, lang: str) -> str:
    """Each question, then its answer with one `label: “quote”` line per citation and the document stamp."""
    lines = [f"# {t('title', lang)}", "",
             f"{t('doc', lang)}: {corpus.symbol} · sha256 {corpus.sha256}", ""]
    for i, turn in enumerate(session.turns, 1):
        lines += [f"## {i}. {turn.question}", ""]
        if turn.answer is None:
            lines += [f"⚠ {t('error', lang)}{turn.error or ''}", ""]
            continue
        if turn.answer.refused:
            lines += [f"⊘ {t('refused_badge', lang)}", ""]
        lines += [render.copy_text(turn.answer), ""]
    return "\n".join(lines)


def as_json(session: Session, corpus: Corpus) -> dict[str, Any]:
    return {
        "doc": corpus.stamp(),
        "conversation": {"id": session.id, "title": session.title()},
        "exported_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "turns": [{"question": turn.question, "answer": turn.answer.to_dict() if turn.answer else None,
                   "error": turn.error} for turn in session.turns],
    }


def write(session: Session, corpus: Corpus, lang: str) -> tuple[Path, Path] | None:
    """Both files for `session`, rewritten in one temporary folder per conversation (Gradio copies them into
    its cache to serve them); None when there is nothing to export."""
    if not session.turns:
        return None
    folder = Path(tempfile.gettempdir()) / "resqa-export" / session.id  # a hex id: safe in a path
    folder.mkdir(parents=True, exist_ok=True)
    name = f"resqa-{corpus.symbol.replace('/', '-').strip('-')}-{session.id[:8]}"
    md, js = folder / f"{name}.md", folder / f"{name}.json"
    md.write_text(markdown(session, corpus, lang), encoding="utf-8")
    js.write_text(json.dumps(as_json(session, corpus), ensure_ascii=False, indent=2), encoding="utf-8")
    return md, js

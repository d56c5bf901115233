"""The fault matrix of docs/faults.md, generated from what the fault tests observed (never typed by hand).

The tests (tests/test_faults.py, tests/test_faults_store.py) record each case (how the fault was made, the exit
code, the message, what the next `resqa ask` did) into test-artifacts/faults.json; `python tests/fault_matrix.py
[docs/faults.md]` writes the table between the `<!-- faults:begin -->` and `<!-- faults:end -->` markers.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "test-artifacts" / "faults.json"
BEGIN, END = "<!-- faults:begin", "<!-- faults:end -->"


def save(entries: dict[str, dict], path: Path = RESULTS) -> None:
    """Merge this run's cases into the results file (a partial run keeps the other cases' last results)."""
    old = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps({**old, **entries}, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")


def generic(text: str, replace: dict[str, str]) -> str:
    """A message with this run's paths, ports, times and sizes replaced by what they stand for."""
    for real, name in sorted(replace.items(), key=lambda kv: -len(kv[0])):
        text = text.replace(real, name)
    text = re.sub(r"chroma\.g[0-9a-f-]+", "chroma.g…", text)
    text = re.sub(r"chroma\.corrupt-[0-9a-f-]+", "chroma.corrupt-…", text)
    text = re.sub(r"resqa-readonly-\w+", "resqa-readonly-…", text)
    text = re.sub(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", "…", text)
    text = re.sub(r"\d+\.\d+ (MB|s)\b", r"N \1", text)
    return re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", text)


def _code(text: str) -> str:
    """Inline code; a message that quotes a command in backticks is delimited by two."""
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def table(entries: dict[str, dict]) -> str:
    rows = ["| case | how the test makes it | exit | what the user sees (stderr / HTTP) | then |",
            "|---|---|---:|---|---|"]
    for _key, e in sorted(entries.items(), key=lambda kv: (kv[1]["order"], kv[0])):
        said = "<br>".join(_code(generic(m, {})) for m in e["messages"]) or "–"
        rows.append(f"| {e['case']} | {e['fault']} | {e['exit']} | {said} | {e['then']} |")
    return "\n".join(rows)


def update(readme: Path, entries: dict[str, dict]) -> None:
    text = readme.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END)
    head = text[start:].split("\n", 1)[0]
    block = (f"{head}\n{len(entries)} cases, each run with real processes, files and a real `chroma run` by "
             f"`tests/test_faults.py` and `tests/test_faults_store.py`; no case printed a traceback.\n\n"
             f"{table(entries)}\n")
    readme.write_text(text[:start] + block + text[end:], encoding="utf-8")


def main(argv: list[str]) -> int:
    readme = Path(argv[0]) if argv else ROOT / "docs" / "faults.md"
    if not RESULTS.exists():
        print(f"no {RESULTS}: run `pytest tests/test_faults.py` first", file=sys.stderr)
        return 1
    update(readme, json.loads(RESULTS.read_text(encoding="utf-8")))
    print(f"wrote the fault matrix into {readme}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The README is a front page (≤ 400 lines: what resqa is, a picture of the chat, the two commands, one example
per interface, the headline figures), the rest is in docs/, and `make docs` builds that into a site offline.
The headline figures are checked against the generated public block of docs/evaluation.md."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from evals.readme import read_block

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readme_is_a_front_page() -> None:
    lines = README.split("\n")
    assert len(lines) <= 400
    assert next(i for i, line in enumerate(lines) if line.startswith("make run")) < 40  # the two commands, near the top
    assert any(line.startswith("make test") for line in lines[:45])
    shot = re.search(r"!\[[^\]]+\]\((docs/img/[^)]+\.png)\)", README)
    assert shot and (ROOT / shot.group(1)).stat().st_size > 20_000, "a screenshot of the chat"
    for interface in ("**Chat**", "**Command line**", "**Python**", "**HTTP and OpenAI-compatible**", "**MCP**",
                      "**LangChain**"):
        assert interface in README, interface
    assert "<!-- eval:" not in README and "<!-- faults:" not in README  # generated blocks live in docs/


def test_every_link_into_docs_resolves() -> None:
    for page, anchor in re.findall(r"\]\((docs/[^)#]+\.md)(?:#([^)]+))?\)", README):
        text = (ROOT / page).read_text(encoding="utf-8")
        if anchor:
            slugs = {re.sub(r"\s+", "-", re.sub(r"[^\w\- ]", "", h.strip().lower()))
                     for h in re.findall(r"^#+ (.+)$", text, flags=re.M)}
            assert anchor in slugs, f"{page}#{anchor}"


def test_headline_figures_are_the_generated_ones() -> None:
    """Every figure of the README's headline table is in the resqa or fair-baseline row of the public block."""
    block = read_block((ROOT / "docs" / "evaluation.md").read_text(encoding="utf-8"), "public")
    assert block is not None
    rows = {line.split("|")[1].strip(): [c.strip() for c in line.split("|")[2:-1]]
            for line in block.split("\n") if line.startswith("| ") and "---" not in line}
    header = rows.pop("system")
    col = {name: i for i, name in enumerate(header)}
    ours, fair = rows["resqa (extractive, e5)"], next(v for k, v in rows.items() if "fair baseline" in k)
    section = README.split("## Headline figures", 1)[1].split("\n## ", 1)[0]
    table = {line.split("|")[1].strip(): line.split("|")[2:4] for line in section.split("\n")
             if line.startswith("| ") and "---" not in line and line.split("|")[1].strip()}
    wanted = {"recall@5": ["R@5"], "citation precision / recall": ["cite P", "cite R"],
              "ALCE citation recall / precision (grounding)": ["ALCE R", "ALCE P"], "key facts found": ["facts"],
              "unanswerable questions refused / answerable ones refused": ["refuse R", "false ref"],
              "p50 latency, ms": ["p50 ms"]}
    assert set(table) == set(wanted)
    for label, columns in wanted.items():
        for shown, row in zip(table[label], (ours, fair), strict=True):
            assert [c.strip() for c in shown.split("/")] == [row[col[c]] for c in columns], label


@pytest.mark.slow
def test_make_docs_builds_the_site_offline(tmp_path: Path) -> None:
    mkdocs = Path(sys.executable).with_name("mkdocs")
    if not mkdocs.exists() and not shutil.which("mkdocs"):
        pytest.skip("mkdocs is not installed (the dev extra)")
    site = tmp_path / "site"
    out = subprocess.run([str(mkdocs if mkdocs.exists() else "mkdocs"), "build", "--strict", "--site-dir", str(site)],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    pages = list(site.glob("*.html"))
    assert {"index.html", "evaluation.html", "chat.html", "faults.html", "benchmarks.html"} <= {p.name for p in pages}
    for page in pages:
        html = page.read_text(encoding="utf-8")
        loads = re.findall(r"<(?:script|link|img)\b[^>]*(?:src|href)=\"(https?:)?//", html)
        assert not loads, f"{page.name} loads something from the network"
    evaluation = (site / "evaluation.html").read_text(encoding="utf-8")
    assert "resqa (extractive, e5)" in evaluation and "0.970" in evaluation  # the generated tables, rendered
    assert (site / "img" / "chat.png").exists()

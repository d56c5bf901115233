"""The generated figures (docs/evaluation.md, docs/benchmarks.md; once in the README) are the code's own: every
figure of an eval block matches a fresh run on the same set
(within evals.readme.FIGURE_NOISE; counts exactly; timings are not compared), the held-out first run renders to
exactly its block, the Benchmarks table is the generated block of the last kept bench, and `make run` installs
and imports the runtime only (no torch, no test or lint tools)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from evals import EvalRow, Produced, check_support, gate_failures, load_jsonl, run_answerer, score_item, summarize
from evals.margins import closest_lines
from evals.readme import (
    BENCH_HTTP,
    BENCH_JSON,
    BENCH_SOURCE,
    FIGURE_NOISE,
    bench_text,
    first_run_block,
    read_block,
    readme_block,
)
from evals.runner import by_category
from index import Corpus

ROOT = Path(__file__).resolve().parent.parent
EVAL_DOC = ROOT / "docs" / "evaluation.md"  # the eval blocks (`make readme` writes them there)
BENCH_DOC = ROOT / "docs" / "benchmarks.md"
# A figure standing alone: not the digits of an id (q309, v2, OP12) and not a sentence's closing full stop.
NUMBER = re.compile(r"(?<![\w.])([-+]?\d+(?:\.\d+)?)(?!\w)(?!\.\d)")


def mask_timings(text: str) -> str:
    """Blank the cells of every table column headed '… ms': latencies depend on the machine's load."""
    out, timing_cols, in_table = [], set(), False
    for line in text.split("\n"):
        if not line.startswith("|"):
            in_table = False
        elif not in_table:  # a table's first line is its header
            in_table = True
            timing_cols = {i for i, c in enumerate(line.split("|")) if c.strip().endswith(" ms")}
        elif not set(line) <= set("|-: "):
            line = "|".join("…" if i in timing_cols else c for i, c in enumerate(line.split("|")))
        out.append(line)
    return "\n".join(out)


def differences(written: str, fresh: str, noise: float = FIGURE_NOISE) -> list[str]:
    """Where the README's text differs from a fresh rendering: any word, a count, or a figure by more than
    `noise` (both are rendered, so rounding is the same on both sides)."""
    old_lines, new_lines = mask_timings(written).split("\n"), mask_timings(fresh).split("\n")
    if len(old_lines) != len(new_lines):
        return [f"{len(old_lines)} lines in the README, {len(new_lines)} in a fresh run"]
    problems = []
    for old, new in zip(old_lines, new_lines, strict=True):
        a, b = NUMBER.split(old), NUMBER.split(new)
        words_differ = len(a) != len(b) or a[::2] != b[::2]
        figures_differ = not words_differ and any(
            (x != y) if "." not in x + y else abs(float(x) - float(y)) > noise + 1e-9
            for x, y in zip(a[1::2], b[1::2], strict=True))
        if words_differ or figures_differ:
            problems.append(f"README: {old}\nfresh:  {new}")
    return problems


def _scored(produced: list[tuple[EvalRow, Produced]], corpus: Corpus) -> dict[str, Any]:
    items = []
    for row, p in produced:
        items.append({**score_item(row, p, corpus), "latency_ms": p.latency_ms})
    return summarize(items)


def fresh_system(name: str, resqa: dict[str, Any], rows: list[EvalRow], corpus: Corpus) -> dict[str, Any]:
    """The figures of one row of the README's system table, measured now."""
    from evals.baseline_e5 import LABEL as FAIR
    from evals.baseline_e5 import ParagraphBaseline, ephemeral_client

    if name.startswith("resqa ("):
        return resqa
    if name == FAIR:
        return _scored(ParagraphBaseline(corpus, ephemeral_client()).run(rows), corpus)
    if "MiniLM" in name:
        from evals.baseline import Baseline

        return _scored(Baseline(corpus, ephemeral_client()).run(rows), corpus)
    raise AssertionError(f"the README shows a system this test cannot re-run: {name!r}")


def system_names(written: str) -> list[str]:
    """The first column of the block's first table (one row per system)."""
    lines = written.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("| system |"))
    names = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        names.append(line.split("|")[1].strip())
    return names


def fresh_block(written: str, block: str, answerer, settings) -> str:  # type: ignore[no-untyped-def]
    """What `make readme` would write into `block` now: the same dataset, the same systems."""
    found = re.search(r"Measured on `([^`]+)`", written)
    assert found, f"block {block!r} does not name its dataset"
    dataset = ROOT / "evals" / "datasets" / found.group(1)
    rows = load_jsonl(dataset, EvalRow, set(answerer.corpus.ids))
    items = run_answerer(answerer, rows)
    summary = summarize(items)
    summary.update(dataset=dataset.name, closest_margins=closest_lines(items))
    systems_shown = system_names(written)
    assert systems_shown and systems_shown[0] == f"resqa ({answerer.backend_name}, {settings.embedder})", systems_shown
    systems = {n: fresh_system(n, summary, rows, answerer.corpus) for n in systems_shown}
    return readme_block(summary, systems, by_category(items), check_support(answerer.corpus),
                        gate_failures(summary), gated=block == "public")


@pytest.fixture(scope="module")
def readme() -> str:
    return EVAL_DOC.read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.timeout(1800)  # up to three systems over the whole set; a loaded machine is slow, not wrong
@pytest.mark.parametrize("block", ["public", "holdout", "holdout3", "holdout4", "holdout5", "holdout6",
                                   "holdout7", "holdout8", "themes", "overview"])
def test_eval_block_matches_a_fresh_run(readme, block, answerer, settings):
    written = read_block(readme, block)
    assert written is not None, f"docs/evaluation.md has no generated {block!r} block"
    problems = differences(written, fresh_block(written, block, answerer, settings))
    assert not problems, f"docs/evaluation.md {block!r} figures differ from a fresh run by more than {FIGURE_NOISE} " \
                         "(run `make readme`):\n" + "\n".join(problems)


def test_the_comparison_allows_the_stated_noise_and_nothing_more():
    table = ("| system | n | MRR | p50 ms |\n|---|---:|---:|---:|\n| resqa (extractive, e5) | 327 | 0.876 | 19.3 |\n"
             "\nq309 dense_min +0.0100 (answer). Support agreement with the 128 pairs: 1.000.")
    assert differences(table, table.replace("0.876", "0.884").replace("19.3", "88.1")) == []
    assert differences(table, table.replace("+0.0100", "+0.0102")) == []
    for moved in (table.replace("0.876", "0.893"), table.replace("| 327 |", "| 328 |"),
                  table.replace("128 pairs", "129 pairs"), table.replace("(answer)", "(refuse)"),
                  table.replace("q309", "q310"), table + "\nextra"):
        assert differences(table, moved), moved


@pytest.mark.parametrize("block", ["holdout-first", "holdout3-first", "holdout4-first", "holdout5-first",
                                   "holdout6-first", "holdout7-first", "holdout8-first", "themes-first",
                                   "overview-first"])
def test_held_out_first_run_block_is_the_kept_run(readme, block):
    written = read_block(readme, block)
    assert written is not None, f"docs/evaluation.md has no generated {block!r} block"
    label = re.match(r"First run, kept as measured \(([^)]+)\):", written)
    assert label and re.fullmatch(r"evals/results/[a-z]+-v\d+-first-run\.json", label.group(1)), written[:120]
    assert written == first_run_block(ROOT / label.group(1), label.group(1))


def test_benchmarks_table_is_the_generated_block():
    section = BENCH_DOC.read_text(encoding="utf-8")
    written = read_block(section, "bench", BENCH_SOURCE)
    assert written is not None, "the Benchmarks section has no generated block"
    outside = section.replace(written, "")
    assert not [line for line in outside.split("\n") if line.startswith("|")], "a typed table outside the block"
    if (ROOT / BENCH_JSON).exists():  # timings are not compared with a new run, only rendered from the kept one
        assert written == bench_text(ROOT / BENCH_JSON, ROOT / BENCH_HTTP)


def _make_dry_run(target: str, tmp_path: Path) -> str:
    out = subprocess.run(["make", "-n", "-C", str(ROOT), target, f"VENV={tmp_path / 'venv'}"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_make_run_installs_the_runtime_only_and_make_test_adds_the_extras(tmp_path):
    run = _make_dry_run("run", tmp_path)
    assert "pip install --quiet -e .\n" in run and "[st" not in run and "dev]" not in run, run
    assert "pip install --quiet -e \".[st,dev]\"" in _make_dry_run("test", tmp_path)


HEAVY = ("torch", "sentence_transformers", "transformers", "pytest", "playwright", "mypy", "hypothesis",
         "schemathesis", "ruff")


def test_asking_imports_no_torch_and_no_dev_tools(settings, answerer):
    script = ("import json, sys\nfrom ui.cli import main\n"
              f"code = main(['ask', '--home', {str(settings.home)!r}, '大会决定何时召开高级别会议？'])\n"
              f"print(json.dumps([code, sorted(m for m in {HEAVY!r} if m in sys.modules)]))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, cwd=ROOT)
    code, loaded = json.loads(out.stdout.strip().split("\n")[-1])
    assert code == 0 and "执行部分第12段" in out.stdout, out.stdout + out.stderr
    assert loaded == [], f"the runtime imported {loaded}"


def test_st_embedder_without_the_extra_says_which_extra_to_install():
    # sys.modules[name] = None makes `import name` fail as it does in a runtime-only install.
    script = ("import sys\nsys.modules['sentence_transformers'] = None\n"
              "from index import make_embedder\nfrom index.embed import EmbedderError\n"
              "try:\n    make_embedder('st:minilm').embed_query('x')\n"
              "except EmbedderError as exc:\n    print(exc)\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert "pip install 'resqa[st]'" in out.stdout, out.stdout + out.stderr

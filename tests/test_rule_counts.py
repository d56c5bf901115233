"""evals.rule_counts counts rag/'s hand-written rules from its syntax tree; `python -m evals.rule_counts` runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from evals.rule_counts import Counts, count_files, count_source

SAMPLE = '''
import re
WORDS = ("甲", "乙", ("丙", "丁"))
TABLE = {"a": "x", "b": ("y", "z")}
LIMIT = 8
RATIO = -0.5
FLAG = True
_P = re.compile(r"a|b|c\\\\|d")
def f(s, n=3):
    local = ["not", "module", "level"]
    return re.sub(f"x|{s}|y", "", s) or re.match("q", s) or _P.search(s)
'''


def test_each_kind_of_rule_is_counted() -> None:
    # 3 re.* calls (a method on a compiled pattern is not one); "a|b|c\\|d" has 2 bars, f"x|{s}|y" 2;
    # 4 + 5 strings in module-level literals (the function's list is not module level); 2 numbers (not True)
    assert count_source(SAMPLE) == Counts(regex_calls=3, alternatives=4, word_entries=9, numeric_constants=2)


def test_the_module_runs_and_prints_a_table_for_rag(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(SAMPLE, encoding="utf-8")
    assert count_files([tmp_path / "m.py"])["m.py"].regex_calls == 3
    done = subprocess.run([sys.executable, "-m", "evals.rule_counts"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    head, _, *rows = done.stdout.splitlines()
    assert head.split()[:3] == ["file", "regex", "calls"]
    total = rows[-1].split()
    assert total[0] == "total" and int(total[1]) > 0
    bad = subprocess.run([sys.executable, "-m", "evals.rule_counts", str(tmp_path / "none")], capture_output=True,
                         text=True, timeout=120)
    assert bad.returncode == 2 and "not a folder" in bad.stderr

"""How many hand-written rules rag/ holds, so their growth shows in every change: `python -m evals.rule_counts`.

Read from the source's syntax tree (nothing is imported or run):
- regex calls: calls of re.compile/search/match/fullmatch/sub/subn/findall/finditer/split;
- alternatives: the `|` in those calls' pattern literals (string constants and f-string parts; `\\|` excluded);
- word-list entries: the strings in module-level list/tuple/set/dict literals (nested ones included);
- numeric constants: module-level names bound to a number.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REGEX_FUNCTIONS = {"compile", "search", "match", "fullmatch", "sub", "subn", "findall", "finditer", "split"}
_BAR = re.compile(r"(?<!\\)\|")


@dataclass(frozen=True)
class Counts:
    regex_calls: int = 0
    alternatives: int = 0
    word_entries: int = 0
    numeric_constants: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(asdict(self).values(), asdict(other).values(), strict=True)))


def _literal_text(node: ast.AST) -> str:
    """The constant text of a pattern argument: a string, an f-string's literal parts, or a `+` of them."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_literal_text(v) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _literal_text(node.left) + _literal_text(node.right)
    return ""


def _strings(node: ast.AST) -> int:
    """String constants in a container literal, nested containers included; 0 for anything else."""
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return sum(_strings(e) if not _is_str(e) else 1 for e in node.elts)
    if isinstance(node, ast.Dict):
        return sum((1 if _is_str(k) else 0) + (1 if _is_str(v) else _strings(v))
                   for k, v in zip(node.keys, node.values, strict=True) if k is not None)
    return 0


def _is_str(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _is_number(node: ast.AST) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        node = node.operand
    return isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool)


def count_source(source: str) -> Counts:
    tree = ast.parse(source)
    calls = alternatives = 0
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in REGEX_FUNCTIONS
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"):
            calls += 1
            if node.args:
                alternatives += len(_BAR.findall(_literal_text(node.args[0])))
    words = numbers = 0
    for stmt in tree.body:
        value = stmt.value if isinstance(stmt, (ast.Assign, ast.AnnAssign)) else None
        if value is None:
            continue
        words += _strings(value)
        numbers += _is_number(value)
    return Counts(calls, alternatives, words, numbers)


def count_files(paths: Sequence[Path]) -> dict[str, Counts]:
    return {p.name: count_source(p.read_text(encoding="utf-8")) for p in sorted(paths)}


def table(by_file: dict[str, Counts], top: int = 0) -> str:
    rows = sorted(by_file.items(), key=lambda kv: -sum(asdict(kv[1]).values()))[: top or None]
    total = sum(by_file.values(), Counts())
    head = f"{'file':<18} {'regex calls':>11} {'alternatives':>12} {'word entries':>12} {'numbers':>7}"
    lines = [head, "-" * len(head)]
    for name, c in rows + [("total", total)]:
        lines.append(f"{name:<18} {c.regex_calls:>11} {c.alternatives:>12} {c.word_entries:>12} "
                     f"{c.numeric_constants:>7}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m evals.rule_counts", description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", type=Path, default=ROOT / "rag", help="a package folder (default rag/)")
    ap.add_argument("--json", action="store_true", help="the totals and each file's counts as JSON")
    ap.add_argument("--top", type=int, default=0, help="only the N files with the most rules (the total is all)")
    args = ap.parse_args(argv)
    if not args.folder.is_dir():
        print(f"rule_counts: {args.folder} is not a folder", file=sys.stderr)
        return 2
    by_file = count_files(list(args.folder.rglob("*.py")))
    if args.json:
        print(json.dumps({"total": asdict(sum(by_file.values(), Counts())),
                          "files": {k: asdict(v) for k, v in by_file.items()}}, indent=1))
    else:
        print(table(by_file, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())

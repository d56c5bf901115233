"""Paragraph ids and the labels a diplomat uses for them (序言部分第3段 / preambular paragraph 3)."""

from __future__ import annotations

import re
from collections.abc import Sequence

_PREFIX = {"preamble": "PP", "operative": "OP", "footnote": "FN"}
_ZH = {"preamble": "序言部分第{n}段", "operative": "执行部分第{n}段", "footnote": "脚注{n}"}
_EN = {"preamble": "preambular paragraph {n}", "operative": "operative paragraph {n}", "footnote": "footnote {n}"}
_FIXED = {
    "header": ("HEADER", "文件标题部分", "document header"),
    "meeting": ("MEETING", "会议日期行", "meeting line"),
}
_ID_RE = re.compile(r"^(PP|OP|FN)([1-9]\d*)$")


def make_id(kind: str, number: int | None) -> str:
    if kind in _FIXED:
        return _FIXED[kind][0]
    return f"{_PREFIX[kind]}{number}"


def label_zh(kind: str, number: int | None) -> str:
    if kind in _FIXED:
        return _FIXED[kind][1]
    return _ZH[kind].format(n=number)


def label_en(kind: str, number: int | None) -> str:
    if kind in _FIXED:
        return _FIXED[kind][2]
    return _EN[kind].format(n=number)


def normalize_id(raw: str) -> str:
    """Canonical form of a user-typed id: ' op5 ' -> 'OP5'. Does not check existence."""
    return raw.strip().upper()


def split_id(pid: str) -> tuple[str, int | None]:
    """'OP5' -> ('operative', 5); 'HEADER' -> ('header', None). ValueError when malformed."""
    for kind, (fixed, _, _) in _FIXED.items():
        if pid == fixed:
            return kind, None
    m = _ID_RE.match(pid)
    if not m:
        raise ValueError(f"malformed paragraph id {pid!r}")
    kind = {v: k for k, v in _PREFIX.items()}[m.group(1)]
    return kind, int(m.group(2))


def describe_ranges(ids: Sequence[str]) -> str:
    """'HEADER, PP1–PP25, OP1–OP15, FN1–FN19, MEETING' for the ids actually present, in document order."""
    parts: list[str] = []
    groups: dict[str, list[int]] = {}
    order: list[str] = []
    for pid in ids:
        kind, n = split_id(pid)
        if n is None:
            order.append(pid)
            continue
        pre = _PREFIX[kind]
        if pre not in groups:
            groups[pre] = []
            order.append(pre)
        groups[pre].append(n)
    for key in order:
        if key in groups:
            nums = groups[key]
            parts.append(f"{key}{min(nums)}–{key}{max(nums)}")
        else:
            parts.append(key)
    return ", ".join(parts)

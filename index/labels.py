"""Paragraph ids and the words a diplomat uses for them: labels (序言部分第3段 / preambular paragraph 3),
the names of the parts (执行部分 / operative paragraphs) and how many a part has (执行部分共有 15 段).

Every such phrase is written here and nowhere else; `index.corpus.Corpus` exposes them (`label`,
`id_of_label`, `count_phrase` …) to the rest of resqa. A `lang` of "en" asks for English; any other is
Chinese, the document's own language.
"""

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
_ANY_NUMBER_RE = re.compile(r"^(PP|OP|FN)(\d+)$")  # a reference may name paragraph 0 (第0段), to be told no
# What a part of the resolution is called, and the measure word its paragraphs are counted with.
_PART_ZH = {"preamble": "序言部分", "operative": "执行部分", "footnote": "脚注"}
_PART_EN = {"preamble": "preambular paragraphs", "operative": "operative paragraphs", "footnote": "footnotes"}
_MEASURE_ZH = {"preamble": "段", "operative": "段", "footnote": "个"}


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


def label(pid: str, lang: str, capital: bool = False) -> str:
    """The label of any well-formed id in `lang`: 'OP12' -> 执行部分第12段 /
    operative paragraph 12 ('Operative paragraph 12' with `capital`, to open a sentence)."""
    kind, number = split_id(pid, strict=False)
    text = label_en(kind, number) if lang == "en" else label_zh(kind, number)
    return text[0].upper() + text[1:] if capital else text


def label_pattern() -> re.Pattern[str]:
    """Any label as it may stand in a sentence, in either language, any number (执行部分第 12 段, footnote 3):
    Chinese labels allow spaces around the number, English ones are written as formatted."""
    alternatives = []
    for kind in _PREFIX:
        for template, gap in ((_ZH[kind], r"\s*"), (_EN[kind], "")):
            head, _, tail = template.partition("{n}")
            alternatives.append(re.escape(head) + gap + r"\d+" + (gap + re.escape(tail) if tail else ""))
    alternatives += [re.escape(fixed[i]) for i in (1, 2) for fixed in _FIXED.values()]  # zh, then en
    return re.compile("|".join(alternatives), re.I)


def part_name(kind: str, lang: str) -> str:
    """执行部分 / operative paragraphs: what the part made of paragraphs of `kind` is called."""
    return _PART_EN[kind] if lang == "en" else _PART_ZH[kind]


def measure_word(kind: str) -> str:
    """The Chinese measure word paragraphs of `kind` are counted with: 段, or 个 for footnotes."""
    return _MEASURE_ZH[kind]


def count_phrase(kind: str, count: int, lang: str) -> str:
    """How many paragraphs of `kind` there are: 执行部分共有 15 段 / 脚注共有 19 个 / 15 operative paragraphs."""
    if lang == "en":
        return f"{count} {_PART_EN[kind]}"
    return f"{_PART_ZH[kind]}共有 {count} {_MEASURE_ZH[kind]}"


def total_phrase(kind: str, count: int, lang: str) -> str:
    """How many there are, said after a paragraph that does not exist ("决议没有脚注25：决议共有 19 个脚注"):
    as `count_phrase`, except that footnotes are counted as the resolution's."""
    if lang != "en" and kind == "footnote":
        return f"决议共有 {count} {_MEASURE_ZH[kind]}{_PART_ZH[kind]}"
    return count_phrase(kind, count, lang)


def parts_phrase(preamble: int, operative: int, lang: str) -> str:
    """Both parts' sizes at once: 序言部分 25 段，执行部分 15 段 / 25 preambular and 15 operative paragraphs."""
    if lang == "en":
        return f"{preamble} preambular and {operative} operative paragraphs"
    return (f"{_PART_ZH['preamble']} {preamble} {_MEASURE_ZH['preamble']}，"
            f"{_PART_ZH['operative']} {operative} {_MEASURE_ZH['operative']}")


def kind_of_prefix(prefix: str) -> str:
    """'OP' -> 'operative', 'PP' -> 'preamble', 'FN' -> 'footnote'. KeyError for anything else."""
    return {v: k for k, v in _PREFIX.items()}[prefix]


def normalize_id(raw: str) -> str:
    """Canonical form of a user-typed id: ' op5 ' -> 'OP5'. Does not check existence."""
    return raw.strip().upper()


def split_id(pid: str, strict: bool = True) -> tuple[str, int | None]:
    """'OP5' -> ('operative', 5); 'HEADER' -> ('header', None). ValueError when malformed (and, when
    `strict`, for a number that no paragraph can have: 'OP0', 'OP05')."""
    for kind, (fixed, _, _) in _FIXED.items():
        if pid == fixed:
            return kind, None
    m = (_ID_RE if strict else _ANY_NUMBER_RE).match(pid)
    if not m:
        raise ValueError(f"malformed paragraph id {pid!r}")
    return kind_of_prefix(m.group(1)), int(m.group(2))


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

"""Questions about this resolution's own masthead — its number and title, session, agenda item, the committee
report it was adopted on, its date and meeting — answered from the header and meeting lines, field by field.

The plain fact path finds these lines through the field names the index gives them; a question that asks in
other words for a field ("这项决议的编号和标题各是什么", "本决议的文号") is answered here when that path
finds nothing. Each line is quoted at its offsets; a question about another document is never answered here.
"""

from __future__ import annotations

import re

from index import Corpus
from rag.compose import mark
from rag.strings import in_words
from rag.structure import Span, to_citation
from rag.types import Citation

# The resolution itself, not one it cites.
_SELF = re.compile(r"(?:本|这项|这份|这一|这个|该|此)\s*决议|^\s*决议(?:的|是|在)|决议本身|"
                   r"\bth(?:is|e) resolution\b", re.I)
# Words that make "the resolution" another document: one it cites by number, mentions or recalls.
OTHER_DOCUMENT = re.compile(r"\d+/\d+|号决议|提到|提及|回顾|其他|以往|以前|之前|上一|"
                            r"mention|recall|other|earlier|previous", re.I)
_PERSON = ("谁", "哪位", " who ", " whom ", " whose ")
# (words that ask for a field, the masthead field that holds it (index.masthead), what the field is called)
_FIELDS: tuple[tuple[tuple[str, ...], str, tuple[str, str]], ...] = (
    (("编号", "文号", "符号", "号码", "标题", "题目", "名称", "全称", "叫什么", " number ", " symbol ", " title ",
      " called "), "title", ("编号和标题", "number and title")),
    (("届会", "会期", " session "), "session", ("届会", "session")),
    (("议程", " agenda "), "agenda", ("议程项目", "agenda item")),
    (("委员会", " committee "), "report", ("所依据的报告", "committee report")),
    (("日期", "哪天", "哪一天", "何时", "什么时候", "哪年", "几月", " when ", " date "), "date",
     ("通过日期", "date of adoption")),
    (("全体会议", "哪次会议", "第几次会议", "什么会议", " meeting "), "meeting", ("通过的会议", "meeting")),
)


def masthead_fields(question: str) -> list[int]:
    """The masthead fields a question about this resolution asks for (indexes into _FIELDS), in order."""
    if not _SELF.search(question) or OTHER_DOCUMENT.search(question) or in_words(question, _PERSON):
        return []  # another document's, or who held an office "when it was adopted": no field of its own
    return [i for i, (asks, *_) in enumerate(_FIELDS) if in_words(question, asks)]


def masthead_answer(corpus: Corpus, question: str, lang: str) -> tuple[str, list[Citation]] | None:
    """One line per field asked, each quoting its header or meeting line; None when it asks for none."""
    lines, cites = [], []
    held = {f.name: f for f in corpus.facts.masthead}
    for i in masthead_fields(question):
        _, name, (zh, en) = _FIELDS[i]
        line = held.get(name)
        if line is None:
            continue
        p = corpus.get(line.pid)
        assert p is not None
        c = to_citation(corpus, Span(line.pid, line.start, line.end, p.text[line.start : line.end]))
        cites.append(c)
        lines.append(f"本决议的{zh}：“{c.quote}”{mark(c, lang)}" if lang == "zh"
                     else f"Its {en}: “{c.quote}” {mark(c, lang)}")
    return ("\n".join(lines), cites) if cites else None

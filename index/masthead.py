"""The fields of a General Assembly resolution's masthead, read from its header and meeting lines by the
layout every resolution shares (not the words of one document):

    第六十七届会议                      session      (a line ending in 届会议)
    议程项目 103                        agenda item  (a line opening with 议程项目)
    2012 年 12 月 20 日大会决议         date         (a line ending in 大会决议)
    [根据第三委员会的报告(A/67/458)通过]  report      (a line opening with "[根据")
    67/190. 改进工作协调，打击贩运人口   title        (a line opening with the number "N/M.")
    2012 年 12 月 20 日 第 60 次全体会议  meeting     (the meeting paragraph, one line or two)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from index.model import Paragraph
from index.parse import title_number

FIELDS = ("title", "session", "agenda", "report", "date", "meeting")


@dataclass(frozen=True)
class Field:
    name: str  # one of FIELDS
    pid: str  # HEADER or MEETING
    start: int
    end: int


# The title line is the one the parse reads the document's symbol from.
_HEADER_FIELDS = (("title", lambda line: title_number(line) is not None),
                  ("session", lambda line: line.endswith("届会议")),
                  ("agenda", lambda line: line.startswith("议程项目")),
                  ("report", lambda line: line.startswith("[根据")),
                  ("date", lambda line: line.endswith("大会决议")))


def masthead_fields(paragraphs: Sequence[Paragraph]) -> tuple[Field, ...]:
    """Each field the masthead has, at its line's offsets (the first line that fits each field)."""
    out: dict[str, Field] = {}
    for p in paragraphs:
        if p.id == "MEETING" and p.text.strip():
            out["meeting"] = Field("meeting", p.id, 0, len(p.text))
        if p.id != "HEADER":
            continue
        at = 0
        for line in p.text.split("\n"):
            for name, fits in _HEADER_FIELDS:
                if name not in out and line and fits(line):
                    out[name] = Field(name, p.id, at, at + len(line))
            at += len(line) + 1
    return tuple(out[name] for name in FIELDS if name in out)


__all__ = ["FIELDS", "Field", "masthead_fields"]

"""The one place that decides whether resqa answers, answers "no", or refuses — and says why.

Every path (fact, list, count, summary, relation, name, reason, yes/no) hands its signals here. The
lexical signals are exact ratios of whole numbers (the same on every machine); the dense similarity is a
float that another CPU may round differently, so every comparison records its margin, and the eval report
lists the closest ones: no decision on the public set may sit within `MARGIN` of a threshold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rag.qtype import ENTITIES

MARGIN = 0.01  # the smallest distance from a threshold a float signal may decide by
MIN_CONTENT = 2


@dataclass(frozen=True)
class Thresholds:
    """Refusal and companion cut-offs, calibrated on the public eval set (README: "How refusals are decided")."""

    lex_floor: float = 0.32     # below this share of the question's content covered, no answer …
    lex_min: float = 0.5        # … below this, only when the evidence is also this close in embedding space:
    dense_min: float = 0.87245  # the middle of a 0.02-wide gap in the public set's values (MARGIN)
    dense_floor_en: float = 0.73  # an English question's evidence (no shared words) must be at least this close
    need_ratio: float = 0.75    # evidence holding the kind of fact asked for must score this close to the best
    second_ratio: float = 0.85  # a second paragraph is cited when it scores this close to the best …
    second_gain: float = 0.2    # … and covers this much more of the question
    context_chars: int = 90     # a quote grows by neighbouring clauses of its sentence up to this length


@dataclass(frozen=True)
class Signals:
    kind: str = "fact"
    lang: str = "zh"
    lex: float | None = None          # share of the question's content bigrams the evidence covers
    dense: float | None = None        # cosine of the question and the evidence clause
    content: int = 0                  # content bigrams the question has
    known_words: int | None = None    # content words of the question that occur in the resolution …
    words: int = 0                    # … out of this many
    need: str | None = None           # the kind of fact asked for (date, number, place …)
    meets_need: bool = True
    foreign: tuple[str, ...] = ()     # facts the question states that the resolution never mentions
    premise: str | None = None        # why the question's premise fails in the evidence, if it does
    counter: bool = False             # the text states what is true in the premise's place (rag.counterpart)
    referenced: bool = False          # the question names the paragraphs it is about
    yesno: bool = False
    found: int | None = None          # lines a gathering answer found (None: not a gathering answer)
    injection: bool = False


@dataclass(frozen=True)
class Decision:
    verdict: str  # "answer" | "no" | "refuse"
    reason: str
    margins: dict[str, float] = field(default_factory=dict)

    @classmethod
    def of_record(cls, record: dict[str, Any], default: str = "answer") -> Decision:
        """The decision a draft carries as its record (`to_dict`), read back."""
        return cls(str(record.get("verdict", default)), str(record.get("reason", "")),
                   dict(record.get("margins") or {}))

    @property
    def answers(self) -> bool:
        return self.verdict != "refuse"

    def to_dict(self, s: Signals) -> dict[str, Any]:
        sig = {k: v for k, v in s.__dict__.items() if v not in (None, (), False) or k in ("lex", "dense")}
        return {"verdict": self.verdict, "reason": self.reason, "margins": self.margins, "signals": sig}


def decide(s: Signals, t: Thresholds | None = None) -> Decision:
    t = t or Thresholds()
    if s.injection:
        return Decision("refuse", "injection")
    if s.found is not None and not s.foreign and not s.premise:
        return Decision("answer", "gathered") if s.found else Decision("refuse", "nothing-to-gather")
    failed = ("foreign-fact:" + ",".join(s.foreign)) if s.foreign else ("premise:" + s.premise if s.premise else "")
    if failed:
        # A question whose premise the evidence contradicts is answered "no", with what the text says instead
        # — a yes/no question with its evidence, any other question only when the text states the counterpart
        # (the right date, place, actor or act) — and only when the evidence is about the question at all;
        # anything else with a false premise is refused.
        # A reason asked for a false premise ("为什么在纽约举行") has none to give: the correction is the answer.
        met = s.meets_need or s.kind == "why"
        if s.foreign and not s.counter and all(ENTITIES.fullmatch(f) for f in s.foreign):
            # "中国有没有批准…议定书？": the text never names China — not said, which is no "no".
            return Decision("refuse", "not-mentioned:" + ",".join(s.foreign))
        if (s.yesno or s.counter) and s.found is None and met and _by_evidence(s, t).answers:
            return Decision("no", failed, _by_evidence(s, t).margins)
        return Decision("refuse", failed)
    if not s.meets_need and not (s.kind == "why" and s.lang == "zh" and (s.lex or 0.0) >= t.lex_min):
        # A reason is usually marked (以便, 原因 …); a "why" whose evidence states it unmarked must match well.
        return Decision("refuse", f"need-unmet:{s.need}")
    if s.referenced:
        return Decision("answer", "reference")
    if s.words and s.known_words == 0 and s.need is None:
        return Decision("refuse", "unknown-words")
    if s.content < MIN_CONTENT and s.need is None:
        return Decision("refuse", "no-content")
    return _by_evidence(s, t)


def _by_evidence(s: Signals, t: Thresholds) -> Decision:
    lex, dense = s.lex or 0.0, s.dense or 0.0
    margins: dict[str, float] = {}
    if s.lang == "en":
        margins["dense_floor_en"] = round(dense - t.dense_floor_en, 6)
        if dense < t.dense_floor_en:
            return Decision("refuse", "weak-evidence:dense", margins)
    else:
        margins["lex_floor"] = round(lex - t.lex_floor, 6)
        if lex < t.lex_floor:
            return Decision("refuse", "weak-evidence:lex", margins)
    margins["lex_min"] = round(lex - t.lex_min, 6)
    if lex < t.lex_min:
        margins["dense_min"] = round(dense - t.dense_min, 6)
        if dense < t.dense_min:
            return Decision("refuse", "weak-evidence:lex+dense", margins)
    return Decision("answer", "evidence", margins)


def refusal(reason: str) -> Decision:
    """A refusal for a reason a composer found before any signal could decide (a paragraph the document
    lacks, an instruction to answer otherwise, no quotable words): made here, like every verdict."""
    return Decision("refuse", reason)


def final(act: str, refused: bool, cited: bool, drafted: Decision, answer_p: float | None,
          threshold: float = 0.5, clash: str | None = None, elsewhere: str | None = None) -> Decision:
    """The verdict an answer carries, made once for every path:
    - "refuse" for an instruction to answer otherwise ("injection"), whatever else the message asks;
    - "chat" for a greeting, thanks or help (nothing is claimed, nothing cited);
    - "refuse" for a request for an opinion, a draft that refused or was left with no valid citation, or a
      quoted answer the answerability model (rag.answerability) finds does not hold what was asked
      (`answer_p` below `threshold`; its margin is recorded like every float's);
    - "refuse" for an answer none of whose cited paragraphs (with their notes) holds any of the numbers or
      symbols the question states (`elsewhere`: the answer is about something else, e.g. another resolution
      than the one the question names);
    - "no" for an answer whose quote states another count or ordinal than the question's premise (`clash`,
      rag.contradict);
    - otherwise the draft's own decision ("answer", or "no" for a contradicted premise)."""
    if act == "injection":
        return Decision("refuse", "injection")
    if act in ("greeting", "thanks", "help"):
        return Decision("chat", f"chat:{act}")
    if act == "opinion":
        return Decision("refuse", "opinion")
    if refused or not cited:
        return drafted if drafted.verdict == "refuse" else Decision("refuse", "no-valid-citation")
    if drafted.verdict == "answer" and elsewhere:
        return Decision("refuse", f"facts-elsewhere:{elsewhere}", drafted.margins)
    if drafted.verdict == "answer" and clash:
        return Decision("no", f"premise:numeral:{clash}", drafted.margins)
    if drafted.verdict == "answer" and answer_p is not None:
        margins = dict(drafted.margins, answerability=round(answer_p - threshold, 6))
        if answer_p < threshold:
            return Decision("refuse", "unsupported:answerability", margins)
        return Decision("answer", drafted.reason, margins)
    return drafted

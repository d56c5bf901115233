"""Checks every citation must pass, whichever backend produced it.

- a citation names an existing paragraph and its quote is exactly `text[start:end]`;
- a sentence is supported by a text when enough of its normalised character bigrams occur in the text
  (τ), every number, date and document symbol in it occurs there verbatim, and aligning it to the text
  neither adds a negation (不/未/非/无/没) the text lacks nor drops one the text has, nor contrasts with it
  (rag.contrast: an antonym, another count or ordinal, a widened scope, a swapped actor). Citation marks,
  paragraph labels ("执行部分第12段", "[OP12]") and resqa's own answer frames ("根据决议，") are
  references, not claims, and are left out first.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

from index import Corpus
from rag.contrast import contrast
from rag.strings import squeeze, stands_alone
from rag.text import bigrams, coverage, facts, normalize
from rag.types import Citation

SUPPORT_TAU = 0.6
_MARK = re.compile(r"【[^】]{1,20}】|\[(?:HEADER|MEETING|(?:PP|OP|FN)\d{1,3})\]")
_LABEL = Corpus.label_re  # 执行部分第 12 段, operative paragraph 12, 文件标题部分 …
# The answer frames resqa composes (rag.compose): words that carry no claim, like the labels above.
_FRAME = re.compile(r"根据决议，|另外，|其出处见|全文：|两段都提到|其中“|”指|说：|中的：|出处：|名称为：|原文：|"
                    r"决议说的是：|"
                    r"Both use the words|refers to|says:|The name as written:|source:|The text:|What it says:|"
                    r"The full text of|The source is given in|According to|The resolution is titled|本决议题为|"
                    r"\((?:[a-z]+ ?){1,4}\):|"
                    # Any English lead-in to a quotation ("The last is operative paragraph 15: “…”").
                    r"[A-Za-z][A-Za-z ,'()\-]{0,80}:\s*(?=“)|\bThere, |\brefers to\b|\bis cited in\b", re.I)
_CITED_ID = re.compile(r"\[((?:PP|OP|FN)\d{1,3}|HEADER|MEETING)\]")
_ENDS = "。！？!?\n"
_QUOTE = re.compile(r"[“「\"]([^”」\"]{2,})[”」\"]")
_NEGATORS = set("不未非无没")
_NEG_GAP = 2  # a text gap this short between aligned runs is a word the claim left out


def strip_references(sentence: str) -> str:
    return _FRAME.sub(" ", _LABEL.sub(" ", _MARK.sub(" ", sentence)))


def supports(sentence: str, text: str, tau: float = SUPPORT_TAU) -> bool:
    claim = strip_references(sentence)
    need = bigrams(claim)
    if not need:
        return False
    if coverage(need, bigrams(text)) < tau:
        return False
    flat = normalize(text)
    nfkc = unicodedata.normalize("NFKC", text)
    for fact in facts(claim):
        # Numbers must stand as whole numbers (2013 is not in 20130); symbols as written.
        if "/" in fact:
            if normalize(fact) not in flat:
                return False
        elif not stands_alone(fact, nfkc):
            return False
    for quoted in _QUOTE.findall(claim):
        if normalize(quoted) not in flat:
            return False
    return not flips_negation(normalize(claim), flat) and contrast(claim, text) is None


def flips_negation(claim: str, text: str) -> bool:
    """True when the claim, aligned to the text, inserts a negator or leaves out one standing between
    two runs it shares with the text ("尚未批准" → "已批准", "决定召开" → "决定不召开")."""
    blocks = [b for b in SequenceMatcher(None, claim, text, autojunk=False).get_matching_blocks() if b.size >= 2]
    covered: set[int] = set()
    for b in blocks:
        covered.update(range(b.a, b.a + b.size))
    if any(ch in _NEGATORS for i, ch in enumerate(claim) if i not in covered):
        return True
    for left, right in zip(blocks, blocks[1:], strict=False):
        gap = text[left.b + left.size : right.b]
        claim_gap = claim[left.a + left.size : right.a]
        if 0 < len(gap) <= _NEG_GAP and any(ch in _NEGATORS for ch in gap) and not any(
                ch in _NEGATORS for ch in claim_gap):
            return True
    return False


def citation_is_valid(corpus: Corpus, c: Citation) -> bool:
    p = corpus.get(c.id)
    return (p is not None and 0 <= c.start < c.end <= len(p.text) and p.text[c.start : c.end] == c.quote
            and bool(c.quote.strip()))


def locate(text: str, quote: str) -> tuple[int, int] | None:
    """Where `quote` stands in `text`: exactly, or ignoring whitespace differences (offsets into `text`)."""
    quote = quote.strip()
    if not quote:
        return None
    i = text.find(quote)
    if i >= 0:
        return i, i + len(quote)
    flat_quote = squeeze(quote)
    keep = [i for i, ch in enumerate(text) if not ch.isspace()]
    flat_text = "".join(text[i] for i in keep)
    j = flat_text.find(flat_quote)
    if j < 0 or not flat_quote:
        return None
    return keep[j], keep[j + len(flat_quote) - 1] + 1


def split_sentences(answer: str) -> list[str]:
    """Sentences of an answer (a trailing citation mark stays with the sentence it ends)."""
    pieces: list[str] = []
    buf: list[str] = []
    depth = 0
    for i, ch in enumerate(answer):
        buf.append(ch)
        depth += (ch in "“「") - (ch in "”」")
        ends = ch in _ENDS or (ch == "." and (i + 1 == len(answer) or answer[i + 1].isspace()))
        # A quotation is one claim: its own full stops do not end the answer's sentence.
        if ends and depth <= 0:
            pieces.append("".join(buf))
            buf = []
    pieces.append("".join(buf))
    out: list[str] = []
    for piece in pieces:
        s = piece.strip()
        if not s:
            continue
        if out and _MARK.fullmatch(s.strip("。；;. ")):
            out[-1] += s
        else:
            out.append(s)
    return out


def cited_ids(sentence: str, corpus: Corpus) -> list[str]:
    """Ids cited in a sentence, from [OP12] marks or 【执行部分第12段】 labels (of `corpus`'s paragraphs)."""
    ids = _CITED_ID.findall(sentence)
    for m in re.finditer(r"【([^】]{1,20})】", sentence):
        pid = corpus.id_of_label(m.group(1).strip(), "zh")
        if pid:
            ids.append(pid)
    seen: list[str] = []
    for pid in ids:
        if pid not in seen:
            seen.append(pid)
    return seen

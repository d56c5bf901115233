"""English names of the key terms a Chinese quote contains, for English readers of the chat: after each quote
of an English answer, "(贩运人口 — trafficking in persons; 毒品和犯罪问题办公室 — UNODC)". The names come from the
glossary the answerer reads English questions with (`rag.glossary.glossary_of`: the general vocabulary and
the bundled document's own terms, English → Chinese), turned around.

Only the chat's rendering changes: the answer's text, its quotes and citations (what every interface returns,
what Copy and the exports carry) stay exactly as the answerer made them.
"""

from __future__ import annotations

import re
from functools import cache
from html import escape

from index import load_corpus
from rag.glossary import glossary_of

MAX_TERMS = 6  # per quote: a gloss, not a translation
_SMALL = {"of", "the", "and", "on", "for", "against", "in", "to"}


def _is_acronym(short: str, long: str) -> bool:
    """`short` (one word, ≤ 6 letters) abbreviates `long` (several words): the initials of long's content words
    appear in order in it, the first one first (a leading "un" aside: UNODC, Office on Drugs and Crime)."""
    if not (short.isalpha() and len(short) <= 6) or len(long.replace("-", " ").split()) < 2:
        return False
    initials = [w[0] for w in long.replace("-", " ").split() if w not in _SMALL]
    letters = short[2:] if short.startswith("un") and len(short) > 3 else short
    if not initials or letters[0] != initials[0]:
        return False
    rest = iter(letters)
    return all(ch in rest for ch in initials)


def _name(forms: list[str]) -> str:
    """One English name for a term: its first form; an acronym instead of a form of more than two words
    (UNODC rather than "office on drugs and crime"); a form of several words instead of a single word that is
    not its acronym ("children's fund" rather than "unicef" spelled in lower case)."""
    first = forms[0]
    longs = [f for f in forms if len(f.replace("-", " ").split()) > 1]
    if any(_is_acronym(first, long) for long in longs):
        return first.upper()
    short = next((f for f in forms if any(_is_acronym(f, long) for long in longs)), None)
    if short and len(first.split()) > 2:
        return short.upper()
    if len(first.split()) == 1 and "-" not in first and longs:
        return longs[0]
    return first


@cache
def english_names() -> dict[str, str]:
    """Chinese term → its English name, for the terms worth a gloss: three characters or more, or two with a
    name of several words or an acronym (大会 — general assembly; not 请 or 强调, common words of any text)."""
    forms: dict[str, list[str]] = {}
    for en, zh in glossary_of(load_corpus()).terms.items():
        forms.setdefault(zh, []).append(en)
    names = {zh: _name(f) for zh, f in forms.items()}
    return {zh: en for zh, en in names.items()
            if len(zh) >= 3 or (len(zh) == 2 and (" " in en or "-" in en or en.isupper()))}


@cache
def _pattern() -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, sorted(english_names(), key=len, reverse=True))))


def terms_in(quote: str) -> list[tuple[str, str]]:
    """(Chinese, English) for each glossed term in `quote`, in order, each once, longest match first
    (大会主席 is the President of the General Assembly, not 大会 + 主席)."""
    names, seen, out = english_names(), set(), []
    for m in _pattern().finditer(quote):
        if m.group(0) not in seen:
            seen.add(m.group(0))
            out.append((m.group(0), names[m.group(0)]))
    return out[:MAX_TERMS]


def gloss_html(quote: str) -> str:
    """The gloss shown after one quote, or "" when it contains no glossed term."""
    terms = terms_in(quote)
    if not terms:
        return ""
    inner = "; ".join(f"{escape(zh)} — {escape(en)}" for zh, en in terms)
    return f' <span class="resqa-gloss" lang="en">({inner})</span>'


def glossed(html: str, quotes: list[str]) -> str:
    """`html` (an answer already escaped and chipped) with each quote's gloss after its first appearance (and
    after the closing ” that ends it, if one does)."""
    for quote in dict.fromkeys(quotes):
        extra = gloss_html(quote)
        at = html.find(escape(quote)) if extra else -1
        if at < 0:
            continue
        end = at + len(escape(quote))
        if html.startswith("”", end):
            end += 1
        html = html[:end] + extra + html[end:]
    return html

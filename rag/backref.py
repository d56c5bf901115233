"""Back-references in the text: what a demonstrative ("这次会议", "该报告", "这些文书") or a bare "其"
points back to — the nearest earlier mention of its head noun, the titles before "这些文书", the actor
before "其". Spans of paragraph text, like everything in rag.structure.
"""

from __future__ import annotations

import re

from index import Paragraph
from rag import segment
from rag.strings import is_han, occurrences
from rag.structure import Span, Structure, name_start

DEMONSTRATIVE = re.compile(r"(这次|这些|该|上述|此种|那次|这一|这个|这项|那些)")
_ENTITY = re.compile(r"[\u4e00-\u9fff]{2,30}?(?:办公室|理事会|委员会|组织|基金会|基金|公署|办事处|署|小组|方案|"
                     r"秘书长|大会主席|会员国|缔约国|各国政府|各国|利益攸关方|民间社会)")


class BackRefs:
    def __init__(self, structure: Structure) -> None:
        self.st = structure

    def demonstratives(self, pid: str | None = None) -> list[tuple[Span, str]]:
        """Demonstrative phrases ("这次会议", "该报告") with their head: the longest run after the
        demonstrative that the text also uses without one (so it has something to point back to)."""
        out = []
        for p in ([self.st.corpus.get(pid)] if pid else self.st.paragraphs()):
            assert p is not None
            for m in DEMONSTRATIVE.finditer(p.text):
                head = self.head_after(p.text, m.end())
                if head:
                    out.append((self.st.span(p.id, m.start(), m.end() + len(head)), head))
        return out

    def head_after(self, text: str, pos: int) -> str | None:
        lead = text[pos : pos + 8]
        run = lead[: next((i for i, ch in enumerate(lead) if not is_han(ch)), len(lead))]
        if len(run) < 2:
            return None
        words = list(segment.cut_tagged(run))
        for n in range(len(words), 0, -1):
            head = "".join(w.word for w in words[:n])
            # A head ends in a noun: "这一严重罪行" does not point back through "严重".
            if len(head) >= 2 and words[n - 1].flag.startswith(("n", "vn")) and any(
                    self._bare_mentions(p, head, len(p.text)) for p in self.st.paragraphs()):
                return head
        return None

    def _bare_mentions(self, p: Paragraph, head: str, limit: int) -> list[int]:
        return [at for at in occurrences(head, p.text[:limit])
                if not DEMONSTRATIVE.search(p.text[max(0, at - 2) : at])]

    def antecedent(self, at: Span, head: str) -> Span | None:
        """What `at` (a demonstrative + `head`) points back to: the nearest earlier mention of the head without
        a demonstrative, in the same paragraph or an earlier one; for 文书/公约 the titles before it."""
        order = [p.id for p in self.st.paragraphs()]
        if at.pid not in order:
            return None
        for pid in reversed(order[: order.index(at.pid) + 1]):
            p = self.st.corpus.get(pid)
            assert p is not None
            hits = self._bare_mentions(p, head, at.start if pid == at.pid else len(p.text))
            if head in ("文书", "公约") and pid == at.pid:
                titles = [s for s in self.st.titles() if s.pid == pid and s.end <= at.start]
                if titles:
                    return self.st.span(pid, titles[0].start, titles[-1].end)
            if hits:
                return self.st.clause_around(pid, hits[-1], hits[-1] + len(head))
        return None

    def entity_before(self, pid: str, pos: int) -> Span | None:
        """The nearest named actor before `pos` in its sentence: what a bare 其/它 stands for."""
        p = self.st.corpus.get(pid)
        assert p is not None
        before = p.text[:pos].rstrip("，, ")
        if before.endswith("》") and "《" in before:
            # "《…议定书》，其中对…下了定义": a pronoun right after a title stands for the title.
            return self.st.span(pid, before.rindex("《"), len(before))
        found = list(_ENTITY.finditer(p.text[:pos]))
        if not found:
            return None
        end = found[-1].end()
        start = name_start(p.text, end)
        if p.text[max(0, start - 3) : start].rstrip().endswith(("以及", "、", "和")):
            # The last of a list ("…特别报告员、…以及民间社会"): 其 stands for the whole list.
            start = self.st.sentence_around(pid, start, max_chars=10_000).start
        return self.st.span(pid, start, end)

    def ibid(self, fid: str) -> tuple[Span, Span] | None:
        """A footnote opening "同上" (ibid.) and the source it repeats: the nearest note before it that names
        its source itself (the whole note), or None."""
        fn = self.st.corpus.get(fid)
        if fn is None or fn.kind != "footnote" or not fn.text.lstrip().startswith("同上"):
            return None
        notes = [p for p in self.st.corpus.paragraphs if p.kind == "footnote"]
        before = [p for p in notes[: notes.index(fn)] if not p.text.lstrip().startswith("同上")]
        if not before:
            return None
        source, at = before[-1], fn.text.index("同上")
        return self.st.span(fid, at, at + 2), self.st.span(source.id, 0, len(source.text.rstrip()))

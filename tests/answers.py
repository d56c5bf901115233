"""Helpers the answer tests share: the ids an answer cites, and an answer checked to be given and valid."""

from __future__ import annotations

from rag import Answer, citation_is_valid


def ids(ans: Answer) -> list[str]:
    return list(dict.fromkeys(c.id for c in ans.citations))


def verified(ans: Answer, corpus) -> Answer:  # type: ignore[no-untyped-def]
    assert not ans.refused and ans.citations, ans.text
    assert all(citation_is_valid(corpus, c) for c in ans.citations)
    return ans

"""Replies to chat acts — a greeting, thanks, a request for help, a request for an opinion — that are not
questions about the text. They quote nothing: they say what resqa does, name the document (its symbol and
title as its own header states them) and offer example questions built from the document's structure."""

from __future__ import annotations

from index import Corpus


def title(corpus: Corpus) -> str:
    """The document's title: the header line that opens with its number ("NN/NNN. Title")."""
    number = corpus.symbol.split("/", 2)[-1]
    header = corpus.get("HEADER")
    span = title_line(corpus)
    return header.text[span[0] + len(number) + 1 : span[1]].strip() if header and span else ""


def title_line(corpus: Corpus) -> tuple[int, int] | None:
    """Where the header's "NN/NNN. Title" line (the document's number and title) starts and ends (the
    masthead's title field, index.masthead)."""
    line = next((f for f in corpus.facts.masthead if f.name == "title"), None)
    return (line.start, line.end) if line else None


def examples(corpus: Corpus, lang: str) -> list[str]:
    """Three questions this document answers: its gist, its first operative paragraph, a list of its notes
    or parts (whichever it has)."""
    counts = corpus.counts
    if lang == "zh":
        out = ["这份决议主要讲了什么？"]
        out.append("执行部分第1段说了什么？" if counts.get("operative") else "序言部分第1段说了什么？")
        out.append("决议提到了哪些公约或文件？" if counts.get("footnote") else "执行部分有几段？")
        return out
    out = ["What is this resolution about?"]
    out.append("What does operative paragraph 1 say?" if counts.get("operative") else
               "What does preambular paragraph 1 say?")
    out.append("Which conventions or documents does it cite?" if counts.get("footnote") else
               "How many operative paragraphs are there?")
    return out


def _document(corpus: Corpus, lang: str) -> str:
    name = title(corpus)
    if lang == "zh":
        return f"联合国大会第 {corpus.symbol.split('/', 2)[-1]} 号决议" + (f"《{name}》" if name else "") + \
            f"（{corpus.symbol}）"
    return f"UN General Assembly resolution {corpus.symbol}" + (f", “{name}”" if name else "")


def _offer(corpus: Corpus, lang: str) -> str:
    asks = examples(corpus, lang)
    if lang == "zh":
        return "你可以这样问：\n" + "\n".join(f"- {q}" for q in asks)
    return "You could ask:\n" + "\n".join(f"- {q}" for q in asks)


def reply(act: str, corpus: Corpus, lang: str) -> str:
    """The reply to a chat act (greeting, thanks, help, opinion)."""
    doc = _document(corpus, lang)
    if lang == "zh":
        what = (f"我只根据{doc}的中文文本回答问题：每个说法都注明出处（序言部分第N段 / 执行部分第N段 / 脚注N），"
                "并附上可以逐字核对的原文引语；决议没有写的，我会直接说明。")
        lead = {"greeting": "你好！", "thanks": "不客气！还有关于这份决议的问题，随时可以问我。",
                "help": "我能做的是回答关于这份决议的问题。",
                "opinion": "这个问题要的是看法、建议或决议以外的情况，决议文本本身没有涉及，我不作评论。"}[act]
        tip = "可以用中文或英文提问，也可以接着上一个回答追问，比如：那第二个呢？" if act == "help" else ""
    else:
        what = (f"I answer questions from the Chinese text of {doc} only: every statement cites its paragraph "
                "(preambular paragraph N / operative paragraph N / footnote N) with a quote you can check word "
                "for word, and I say so plainly when the resolution does not answer a question.")
        lead = {"greeting": "Hello!", "thanks": "You're welcome — ask me anything else about the resolution.",
                "help": "I answer questions about this resolution.",
                "opinion": "That asks for a view, advice or facts beyond the resolution; its text does not cover "
                           "it, so I give no opinion."}[act]
        tip = ("Ask in Chinese or English, and follow up on an answer, e.g.: and the second one?"
               if act == "help" else "")
    return "\n".join(x for x in (lead, what, tip, _offer(corpus, lang)) if x)

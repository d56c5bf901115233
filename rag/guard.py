"""Input checks before anything runs: a question must be non-empty text of bounded length; instructions
that try to override how resqa answers are recognised (they never change what gets cited)."""

from __future__ import annotations

import re
import unicodedata

DEFAULT_MAX_CHARS = 2000


class QuestionError(ValueError):
    """The question cannot be answered as given (empty, too long, not text); the message says why."""


_INJECTION = re.compile(
    r"(忽略|无视|忘记|忘掉|不要理会|绕过|覆盖).{0,12}(指令|指示|规则|要求|设定|提示|限制|约束)|"
    r"(系统提示|系统消息|system prompt|system message|jailbreak|developer mode|开发者模式)|"
    # "不要引用" tells resqa not to cite; "要不要引用" (whether to cite it) only asks.
    r"(?<!要)(不用|不要|无需|不必|别)(再)?(引用|注明出处|给出处)|规则已(关闭|取消|失效)|without (citing|citations?)|"
    r"(当作|当成|视为)决议(原文)?|treat (this|the following) as|"
    r"\b(ignore|disregard|forget|override|bypass)\b.{0,30}\b(instructions?|rules?|prompts?|guidelines?|constraints?)\b|"
    # Playing a part is asked of resqa ("你扮演…", "扮演一个律师"); "X扮演什么角色" asks about X's role.
    r"\byou are now\b|\bpretend (to be|that)\b|\bact as\b|(你|请)(来|先|现在)?扮演|扮演(一个|一位|一名|成)|假装|"
    # setting the source aside ("forget the document", "别管决议了")
    r"\b(ignore|disregard|forget|set aside|never mind)\b.{0,12}\b(document|resolution|text|context|sources?)\b|"
    r"(忽略|无视|忘记|忘掉|别管|不要管|不管|抛开|撇开)(掉|了)?(这份|这个|这篇|该|本|上面的|上述)?"
    r"(决议|文件|文档|原文|上下文|资料)|"
    # a task that is not a question about the text: writing something new
    r"\b(write|compose|make up)\b.{0,20}\b(poems?|story|stories|songs?|jokes?|essays?|haikus?|lyrics)\b|"
    r"(写|作|编|来)(一|几)?(首|个|篇|段)?(诗|故事|歌|笑话|段子|作文|对联)",
    re.I,
)


def clean_question(question: object, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """The question stripped of control characters; QuestionError when empty or over `max_chars`."""
    if not isinstance(question, str):
        raise QuestionError("the question must be text")
    text = "".join(ch for ch in question if ch in "\n\t" or unicodedata.category(ch)[0] != "C").strip()
    if not text:
        raise QuestionError("the question is empty")
    if len(text) > max_chars:
        raise QuestionError(f"the question is {len(text)} characters long; the limit is {max_chars}")
    return text


def is_injection(question: str) -> bool:
    return bool(_INJECTION.search(question))

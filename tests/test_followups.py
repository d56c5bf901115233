"""Follow-ups that point into the previous answer, references that inherit their part, names read back over a
关于…的 modifier, and premise checks that must not refuse loose but faithful wording. Reference cases checked
by hand against the text."""

from __future__ import annotations

import pytest
from test_kinds import ids, verified

from rag.conversation import read_in_context
from rag.premise import check
from rag.refs import resolve

LISTED = [{"role": "user", "content": "序言里回顾了哪些公约？"},
          {"role": "assistant",
           "content": "序言第2段回顾了《联合国打击跨国有组织犯罪公约》及其补充议定书、《儿童权利公约》。"}]


def test_an_ordinal_points_at_an_item_of_the_previous_answer():
    assert read_in_context("其中第二个是什么时候通过的？", LISTED)[1] == "《儿童权利公约》是什么时候通过的？"
    assert read_in_context("其中第五个呢？", LISTED)[1] == "其中第五个呢？"  # there is no fifth: not rewritten


def test_that_resolution_is_searched_with_what_the_previous_answer_named():
    history = [{"role": "user", "content": "Which resolution contains the Global Plan of Action?"},
               {"role": "assistant", "content": "Resolution 64/293, reaffirmed in PP4."}]
    search, own = read_in_context("And when did the General Assembly adopt that resolution?", history)
    assert "64/293" in search and own == "And when did the General Assembly adopt that resolution?"


def test_a_follow_up_into_the_previous_answer_is_answered(answerer, corpus):
    history = [{"role": "user", "content": "第8段肯定了谁在数据方面的工作？"},
               {"role": "assistant", "content": verified(answerer.ask("第8段肯定了谁在数据方面的工作？"), corpus).text}]
    ans = verified(answerer.ask("序言第25段说《联合国打击跨国有组织犯罪公约》的缔约方达到了多少个？", history), corpus)
    assert "172" in ans.text and "PP25" in ids(ans)


@pytest.mark.parametrize("question,expected", [("序言第8段和第22段有什么联系？", ["PP8", "PP22"]),
                                               ("序言部分第3段和执行部分第5段", ["PP3", "OP5"]),
                                               ("第5段和序言第3段", ["OP5", "PP3"])])
def test_a_bare_paragraph_number_after_a_preambular_one_is_preambular(question, expected):
    assert [r.id for r in resolve(question).refs] == expected


def test_the_title_of_the_resolution_itself(answerer, corpus):
    for question in ("这份决议的标题是什么？", "本决议的名称是什么？"):
        ans = verified(answerer.ask(question), corpus)
        assert ids(ans) == ["HEADER"] and "改进工作协调，打击贩运人口" in ans.text


def test_a_name_keeps_its_about_modifier(answerer, corpus):
    ans = verified(answerer.ask("国际劳工组织的那个全球数据库全称是什么？"), corpus)
    assert "关于强迫劳动、贩运活动及类似奴隶制做法的全球数据库" in ans.text


def test_loose_wording_is_not_a_false_premise(corpus):
    document = " ".join(p.text for p in corpus.paragraphs)
    op12, op13 = corpus.get("OP12").text, corpus.get("OP13").text
    # (as the answerer checks it: the paragraph reference taken out)
    assert check("回顾的“在2013年进行执行进展调查的决定”出自哪项决议？", "zh", [op12], document) is None
    assert check("协商主要是为了确定什么？", "zh", [op13], document) is None
    assert check("决议里“表示完全反对”的是什么？", "zh", [op12], document) == "quoted-absent:表示完全反对"


# "And X?" / "What about X?" in English asks the previous English question of X: X stands where that
# question's last capitalised name stood (three wordings in no labeled set).
EN_SWAPS = [("How many parties does the UN Convention against Transnational Organized Crime have?",
             "What about the Protocol?", "PP25", "153"),
            ("How many parties did the UN Convention against Transnational Organized Crime reach?",
             "and the Protocol?", "PP25", "153"),
            ("Where did the Conference of the Parties to the Convention hold its sixth session?",
             "And the Working Group on Trafficking in Persons?", "PP22", "工作组")]


@pytest.mark.parametrize(("previous", "question", "pid", "words"), EN_SWAPS)
def test_an_english_what_about_asks_the_previous_question_of_the_new_thing(answerer, corpus, previous, question,
                                                                           pid, words):
    history = [{"role": "user", "content": previous}, {"role": "assistant", "content": "(the previous answer)"}]
    ans = verified(answerer.ask(question, history=history), corpus)
    assert ans.verdict == "answer" and pid in ids(ans) and words in ans.text, ans.text


# The thing a follow-up's pronoun points to is named only in the previous answer; the previous question asked
# "what" and holds none of the follow-up's words. The follow-up's own words, all held by one window, say what
# it asks (rag.extractive).
MEETING_ANSWERED = [{"role": "user", "content": "大会决定举行什么活动？"},
                    {"role": "assistant",
                     "content": "执行部分第12段：因此决定在大会第六十七届会议期间，以现有资源为限，"
                                "最迟于 2013 年 7 月召开一次高级别会议"}]


@pytest.mark.parametrize(("question", "pid", "word"), [("那它的两位共同协调人由谁任命？", "OP13", "大会主席"),
                                                       ("它的纪要由谁编写？", "OP14", "大会主席"),
                                                       ("那它的举行方式由谁确定？", "OP13", "协商")])
def test_a_follow_up_on_what_only_the_previous_answer_named(answerer, corpus, question, pid, word):
    ans = verified(answerer.ask(question, history=MEETING_ANSWERED), corpus)
    assert ids(ans)[0] == pid and word in ans.text, ans.text

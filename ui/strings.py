"""The web chat's own words (labels, buttons, hints) in Chinese and English, and the example questions.

Only the interface is translated here; answers keep the language of the question (the answerer decides).
"""

from __future__ import annotations

LANGS = ("zh", "en")
LANG_CHOICES = [("中文", "zh"), ("English", "en")]

_STRINGS: dict[str, tuple[str, str]] = {
    # key: (Chinese, English)
    "title": ("决议问答 · A/RES/67/190", "Resolution Q&A · A/RES/67/190"),
    "subtitle": ("关于第 67/190 号决议《改进工作协调，打击贩运人口》的问答；每个回答都逐字引用段落原文。",
                 "Questions on the resolution “Improving the coordination of efforts against trafficking in "
                 "persons”; every answer quotes the paragraphs it relies on, word for word."),
    "chat": ("对话", "Chat"),
    "placeholder": ("输入问题，例如：大会决定何时召开高级别会议？",
                    "Ask a question, e.g. When will the high-level meeting be held?"),
    "chat_placeholder": ("向决议提问。点击回答中的【段落】标记可查看原文出处。",
                         "Ask the resolution. Click a paragraph mark in an answer to see its source."),
    "send": ("发送", "Send"),
    "new_chat": ("＋ 新对话", "+ New chat"),
    "delete_chat": ("删除此对话", "Delete this chat"),
    "conversations": ("对话记录（保存在本浏览器中）", "Conversations (kept in this browser)"),
    "deleted": ("已删除该对话。", "The conversation was deleted."),
    "export_md": ("导出 Markdown", "Export Markdown"),
    "export_json": ("导出 JSON", "Export JSON"),
    "suggested": ("接着问", "Ask next"),
    "reason": ("（可选）这条回答哪里不好？最多 1000 字",
               "(Optional) What was wrong with this answer? At most 1000 characters"),
    "reason_send": ("提交原因", "Send reason"),
    "reason_thanks": ("已记录原因，谢谢。", "Thanks, your reason was recorded."),
    "reason_empty": ("请先写下原因。", "Please write a reason first."),
    "reason_long": ("原因最多 1000 字。", "A reason is at most 1000 characters."),
    "toast_info": ("提示", "Info"),
    "toast_warning": ("注意", "Warning"),
    "toast_error": ("错误", "Error"),
    "toast_success": ("完成", "Success"),
    "copy": ("复制回答及引文", "Copy answer + citations"),
    "copied": ("已复制 ✓", "Copied ✓"),
    "examples": ("示例问题", "Example questions"),
    "settings": ("设置", "Settings"),
    "top_k": ("得分表列出的段落数 (top-k；回答不受影响)",
              "Paragraphs in the score table (top-k; answers do not change)"),
    "show_scores": ("显示检索得分", "Show retrieval scores"),
    "backend": ("回答后端", "Answer backend"),
    "ui_lang": ("界面语言", "Interface language"),
    "sources": ("出处", "Sources"),
    "full_text": ("全文", "Full text"),
    "back_to_answer": ("← 返回回答", "← Back to the answer"),
    "retrieval": ("检索结果（调试）", "Retrieval (debug)"),
    "col_rank": ("名次", "rank"),
    "col_id": ("段落", "id"),
    "col_label": ("标签", "label"),
    "col_via": ("来源", "via"),
    "col_score": ("融合得分", "fused"),
    "col_dense": ("向量得分", "dense"),
    "col_lexical": ("词项得分", "lexical"),
    "no_sources": ("提问后，这里会显示回答所引用段落的全文，引文部分高亮。",
                   "Ask a question: the paragraphs the answer cites appear here in full, quotes highlighted."),
    "refused_sources": ("决议中没有可引用的依据，因此没有引文。以下段落仅供参考：",
                        "The resolution gives no grounds to quote, so there are no citations. For reference only:"),
    "refused_badge": ("决议未涉及", "Not in the resolution"),
    "see_also": ("可参阅（不是引用）", "See also (not citations)"),
    "verb": ("动词", "verb"),
    "footnotes": ("所引脚注", "Footnotes cited"),
    "cited_by": ("引用此脚注的段落", "Cited by"),
    "in_full_text": ("在全文中查看", "Show in full text"),
    "quote": ("引文", "quote"),
    "focused": ("所点击的段落", "The paragraph you clicked"),
    "error": ("无法回答：", "Cannot answer: "),
    "empty": ("请先输入问题。", "Please type a question first."),
    "too_long": ("问题有 {n} 个字符，超过上限 {limit} 个字符，请缩短后再问。",
                 "the question is {n} characters long; the limit is {limit}. Please shorten it."),
    "bad_question": ("无法读取这个问题。", "this question cannot be read."),
    "internal_error": ("出错了，请重试。", "Something went wrong; please try again."),
    "thanks": ("感谢反馈，已记录。", "Thanks, your feedback was recorded."),
    "feedback_none": ("这条消息没有可评价的回答。", "There is no answer to rate in that message."),
    "doc": ("文件", "Document"),
    "backend_meta": ("后端", "backend"),
    "latency": ("耗时", "time"),
    "note": ("说明", "note"),
    "group_header": ("文件标题", "Document header"),
    "group_preamble": ("序言部分", "Preamble"),
    "group_operative": ("执行部分", "Operative part"),
    "group_footnote": ("脚注", "Footnotes"),
    "group_meeting": ("会议", "Meeting"),
}

EXAMPLES: tuple[str, ...] = (
    "大会决定何时召开高级别会议？",
    "大会请秘书长做什么？",
    "执行部分第12段引用了哪项决议？",
    "When will the high-level meeting be held?",
    "What does the resolution urge States that have not ratified the Convention to do?",
    "What does operative paragraph 14 ask the President of the General Assembly to do?",
)


def t(key: str, lang: str) -> str:
    """The interface string `key` in `lang` ("zh" or "en"; anything else falls back to Chinese)."""
    zh, en = _STRINGS[key]
    return en if lang == "en" else zh


def both(key: str) -> str:
    """Both languages at once, for places shown before a language is chosen (e.g. the footer)."""
    zh, en = _STRINGS[key]
    return f"{zh} / {en}"

"""The chat's 👍/👎 (Gradio's `like` event) turned into a bounded feedback record.

Gradio sends `liked` as True (👍), False (👎), "" or None (un-like), or the text of a custom feedback option.
Only those become records: a rating from `feedback.RATINGS`, a custom option as the reason of a 👎 (at most
`feedback.MAX_REASON` characters). `validate` runs as the event's Gradio validator, before the event is queued,
so a bad `liked` is an HTTP 422 at `/gradio_api/queue/join`, not a record. Each client address gets
`serving.feedback_per_minute` records a minute; the file (under `settings.home`) is capped by
`serving.feedback_max_bytes` (`ui.settings.ServeSettings`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from index import Settings
from ui.feedback import FeedbackError, FeedbackLog, check
from ui.ratelimit import RateLimiter
from ui.settings import ServeSettings

log = logging.getLogger(__name__)
BURST = 10  # clicks in a row before the per-minute rate applies
_MESSAGES = {  # key: (Chinese, English); the strings.py keys "thanks"/"feedback_none" cover the rest
    "limited": ("反馈太频繁，请稍后再试。", "Too much feedback at once; please try again in a minute."),
    "not_saved": ("反馈未能保存（服务器存储出错）。", "Feedback not saved (a storage error on the server)."),
    "invalid": ("无效的反馈。", "Invalid feedback."),
}


def message(key: str, lang: str) -> str:
    zh, en = _MESSAGES[key]
    return zh if lang == "zh" else en


def rating_of(liked: object) -> tuple[str, str | None]:
    """(rating, reason) for Gradio's `liked` value; FeedbackError for anything else."""
    if liked is True or liked == "Like":
        return "up", None
    if liked is False or liked == "Dislike":
        return "down", None
    if liked is None or liked == "":
        return "none", None
    if isinstance(liked, str):  # a custom feedback option: why the answer was not good
        return "down", check("down", liked)
    raise FeedbackError("liked must be true, false, empty or a feedback option")


def message_index(index: object) -> int:
    """Gradio's like index: an int, or [row, column] for a two-dimensional component."""
    if isinstance(index, list | tuple) and index:
        index = index[0]
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        raise FeedbackError("index must be a message number")
    return index


@dataclass(frozen=True)
class Outcome:
    """What happened to one click: the toast key, and whether it is good news."""

    key: str
    ok: bool


class LikeFeedback:
    """One per app: the feedback file and the per-client limiter behind the like event."""

    def __init__(self, settings: Settings, serving: ServeSettings) -> None:
        self.log = FeedbackLog(settings.home, serving.feedback_max_bytes)
        self.limiter = RateLimiter(serving.feedback_per_minute, burst=min(BURST, serving.feedback_per_minute))

    def validator(self, data: Any) -> list[Any]:
        """The like event's Gradio validator (`data` is a gr.LikeData): one gr.validate per event input
        (session, lang); the verdict rides on the first."""
        import gradio as gr

        why = ""
        try:
            rating_of(data.liked)
            message_index(data.index)
        except FeedbackError as exc:
            why = str(exc)
        return [gr.validate(not why, why), gr.validate(True, "")]

    def on_like(self, data: Any, answers: Mapping[int, Any], request: Any, lang: str) -> tuple[bool, str]:
        """Handle one click (`data` a gr.LikeData, `answers` the session's Answers by message index, `request` the
        gr.Request): (good news?, the toast text in `lang`)."""
        from ui.strings import t

        index = data.index[0] if isinstance(data.index, list | tuple) and data.index else data.index
        answer = answers.get(index) if isinstance(index, int) else None
        client = request.client.host if getattr(request, "client", None) else "unknown"
        outcome = self.record(data.liked, answer.to_dict() if answer else None, data.index, client,
                              getattr(request, "session_hash", None))
        text = t(outcome.key, lang) if outcome.key in ("thanks", "feedback_none") else message(outcome.key, lang)
        return outcome.ok, text

    def record(self, liked: object, answer: Mapping[str, Any] | None, index: object, client: str,
               session: str | None) -> Outcome:
        """Append the record if the click is valid, rates an answer and `client` is within its rate."""
        try:
            rating, reason = rating_of(liked)
            n = message_index(index)
        except FeedbackError:
            return Outcome("invalid", False)
        if answer is None:
            return Outcome("feedback_none", False)
        if not self.limiter.allow(client):
            return Outcome("limited", False)
        try:
            self.log.add(rating, answer, {"message_index": n, "session": session}, reason=reason)
        except (OSError, FeedbackError):  # a full disk is the operator's problem; the user gets a short note
            log.exception("feedback not saved")
            return Outcome("not_saved", False)
        return Outcome("thanks", True)



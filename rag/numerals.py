"""Numbers as people type them in a question: 12, １２ (full-width), 十二, 一百零五, 两."""

from __future__ import annotations

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
CHINESE_NUMERAL_CHARS = "".join(_DIGITS) + "".join(_UNITS)


def parse_number(token: str) -> int | None:
    """An int from ASCII/full-width digits or a Chinese numeral; None if it is neither."""
    token = token.strip().translate(_FULLWIDTH)
    if token.isdigit():
        return int(token)
    if not token or any(ch not in _DIGITS and ch not in _UNITS for ch in token):
        return None
    total, current = 0, 0
    for ch in token:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        else:
            total += (current or 1) * _UNITS[ch]
            current = 0
    return total + current

"""Serve a long text in pages of at most N tokens, with an opaque cursor for the rest.

Agents' clients cut tool output at a fixed size (often 25,000 tokens), so every text a
service hands an agent is paged: each page is counted with the real tokenizer and never
exceeds the cap, pages break at line ends where they can, and the pages of a text joined
together give back the text exactly. The cursor names the text it was cut from (by
digest), so a cursor used after the text changed is refused instead of serving a page
of something else.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from ingest.errors import CtxError

from .tokens import Tokenizer

_BATCH = 512  # lines counted at a time: a page of a huge text never counts the whole rest


class CursorError(CtxError):
    """A continuation cursor that is malformed or belongs to a text that has since changed."""


@dataclass(frozen=True)
class TextPage:
    """One page of a text: `cursor` fetches the next page, None on the last."""

    text: str
    tokens: int
    start: int  # character offset of this page in the whole text
    total_chars: int
    total_tokens: int
    cursor: str | None

    @property
    def complete(self) -> bool:
        """True when this page is the whole text."""
        return self.start == 0 and self.cursor is None


def page_text(text: str, tokenizer: Tokenizer, max_tokens: int, cursor: str | None = None) -> TextPage:
    """The page of `text` that starts at `cursor` (or at the top) and fits in `max_tokens`.

    Raises CursorError for a cursor that does not belong to `text`.
    """
    if max_tokens < 1:
        raise CtxError(f"a page needs at least 1 token, not {max_tokens}", hint="raise max_tokens")
    digest = _digest(text)
    start = _start(cursor, digest, len(text)) if cursor else 0
    end = _page_end(text, start, tokenizer, max_tokens) if text else 0
    page = text[start:end]
    return TextPage(
        text=page,
        tokens=tokenizer.count(page),
        start=start,
        total_chars=len(text),
        total_tokens=tokenizer.count(text),
        cursor=_cursor(end, digest) if end < len(text) else None,
    )


def _page_end(text: str, start: int, tokenizer: Tokenizer, max_tokens: int) -> int:
    """The end of the longest run of whole lines from `start` that fits (or, when not even one
    line fits, of the longest prefix of that line)."""
    ends = _line_ends(text, start)
    starts = [start, *ends]
    running, fitting = 0, 0
    for batch in range(0, len(ends), _BATCH):  # per-line counts sum close to the page's count: a first guess
        counts = tokenizer.count_many([text[starts[i] : ends[i]] for i in range(batch, min(batch + _BATCH, len(ends)))])
        for count in counts:
            if running + count > max_tokens:
                break
            running += count
            fitting += 1
        if fitting < batch + len(counts):
            break
    while fitting and tokenizer.count(text[start : ends[fitting - 1]]) > max_tokens:
        fitting -= 1  # lines joined can count a little more than apart; drop lines until exact
    if fitting:
        return ends[fitting - 1]
    return _prefix_end(text, start, ends[0], tokenizer, max_tokens)


def _prefix_end(text: str, start: int, end: int, tokenizer: Tokenizer, max_tokens: int) -> int:
    """The longest prefix of one overlong line that fits, found by bisection (at least 1 char)."""
    low, high = start + 1, end
    while low < high:
        middle = (low + high + 1) // 2
        if tokenizer.count(text[start:middle]) <= max_tokens:
            low = middle
        else:
            high = middle - 1
    return low


def _line_ends(text: str, start: int) -> list[int]:
    ends: list[int] = []
    at = start
    while at < len(text):
        newline = text.find("\n", at)
        at = len(text) if newline < 0 else newline + 1
        ends.append(at)
    return ends


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _cursor(offset: int, digest: str) -> str:
    return base64.urlsafe_b64encode(f"{offset}:{digest}".encode()).decode().rstrip("=")


def _start(cursor: str, digest: str, length: int) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        offset_text, cursor_digest = raw.split(":")
        offset = int(offset_text)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise CursorError("the cursor is malformed", hint="pass the cursor exactly as the previous page returned it") from None
    if cursor_digest != digest or not 0 < offset < length:
        raise CursorError(
            "the cursor belongs to an earlier version of this output (the source changed since)",
            hint="call again without a cursor to start from the first page",
        )
    return offset

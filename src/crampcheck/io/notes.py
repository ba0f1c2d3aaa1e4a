"""What the runner wrote inside a GPX or TCX file: ``<desc>`` and ``<cmt>`` (GPX), ``<Notes>`` (TCX).

A plain pass over the bytes (no parser, no entities beyond XML's five and character
references), so it costs next to nothing beside the reader; texts are capped in number
and length. Each text is returned with where it was found ("GPX desc", "TCX Notes").
"""

from __future__ import annotations

import html
import re

MAX_TEXTS = 20  # texts kept per file
MAX_TEXT_CHARS = 2000  # characters kept per text
_TAGS = {"gpx": ("desc", "cmt"), "tcx": ("Notes",)}
_CDATA_RE = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.DOTALL)


def _tag_re(tags: tuple[str, ...]) -> re.Pattern[bytes]:
    names = "|".join(tags).encode()
    return re.compile(rb"<(?:[\w.-]+:)?(" + names + rb")(?:\s[^>]*)?>(.*?)</(?:[\w.-]+:)?\1\s*>", re.DOTALL)


_PATTERNS = {fmt: _tag_re(tags) for fmt, tags in _TAGS.items()}


def _text(raw: bytes) -> str:
    text = raw.decode("utf-8", errors="replace")
    parts, pos = [], 0
    for m in _CDATA_RE.finditer(text):
        parts += [html.unescape(text[pos:m.start()]), m.group(1)]
        pos = m.end()
    parts.append(html.unescape(text[pos:]))
    return " ".join("".join(parts).split())[:MAX_TEXT_CHARS]


def xml_texts(data: bytes, fmt: str) -> list[tuple[str, str]]:
    """(where, text) for each non-empty description, comment or note of a GPX/TCX document."""
    pattern = _PATTERNS.get(fmt)
    if pattern is None:
        return []
    out: list[tuple[str, str]] = []
    for m in pattern.finditer(data):
        text = _text(m.group(2))
        if text:
            out.append((f"{fmt.upper()} {m.group(1).decode()}", text))
            if len(out) >= MAX_TEXTS:
                break
    return out

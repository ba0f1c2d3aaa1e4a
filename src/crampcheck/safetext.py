"""The one sanitizer for untrusted text (names, devices, file and member names, notes) at render time.

Text read from files and exports reaches terminals, spreadsheets, Markdown viewers and JSON
consumers. Each output format calls one function here on every string it renders:

- ``terminal``: control characters (C0, DEL, C1: ESC, CSI, OSC, BEL...), bidi controls and
  undecodable bytes of file names become visible escapes (``\\x1b``, ``\\u202e``); a newline
  becomes ``\\x0a``, so a name cannot forge a line. Emoji joiners stay.
- ``markdown``: ``terminal`` plus Markdown/HTML syntax made literal: ``|`` (table cells),
  ``<``/``>`` (tags, autolinks), ``](`` and ``]:`` (links, images, link definitions); a
  backslash escape already there is kept as it is (never escaped twice).
- ``csv_cell``: ``terminal`` plus the spreadsheet formula guard: a text cell starting with
  ``= + - @``, TAB or CR gets a leading apostrophe, so it is shown, never evaluated.
- ``json_text``: a JSON document made safe for UTF-8 output and terminals: undecodable bytes
  of file names (lone surrogates) as ``\\xNN`` text, C1 and format characters as ``\\u``
  escapes (JSON itself escapes C0).
"""

from __future__ import annotations

import re
import unicodedata

_UNSAFE_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})  # controls (C0, DEL, C1), surrogates, line/para separators
# format characters that reorder or hide text (bidi controls: "Trojan Source"); the joiners that
# build emoji and scripts (ZWJ, ZWNJ) stay
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_SURROGATE_ESCAPE = range(0xDC80, 0xDD00)  # os.fsdecode's stand-ins for undecodable name bytes
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# an existing backslash escape (kept: escaping it again would undo it), or what must be made literal
_MD_SPECIAL = re.compile(r"\\[!-/:-@\[-`{-~]|[|<>]|\](?=[(:\[])")
_JSON_UNSAFE = re.compile("[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff]")


def _escape_char(c: str) -> str:
    code = ord(c)
    if code in _SURROGATE_ESCAPE:
        return f"\\x{code - 0xDC00:02x}"  # the original byte of an undecodable file name
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal(text: object) -> str:
    """``text`` safe for a terminal line: every control/format character as a visible escape."""
    s = str(text)
    if s.isprintable():  # the common case: nothing to do
        return s
    return "".join(_escape_char(c) if c in _BIDI or unicodedata.category(c) in _UNSAFE_CATEGORIES else c for c in s)


def markdown(text: object) -> str:
    """``text`` safe for one Markdown line or table cell: no tags, links, images, pipes or newlines."""
    s = terminal(text)
    return _MD_SPECIAL.sub(_md_literal, s)


def _md_literal(match: re.Match) -> str:
    found = match.group(0)
    if found.startswith("\\"):
        return found  # already escaped (a backslash before other text is literal in Markdown)
    return {"<": "&lt;", ">": "&gt;"}.get(found, "\\" + found)


def csv_cell(value: object) -> object:
    """A CSV cell: text sanitized and formula-guarded; numbers and None pass unchanged."""
    if not isinstance(value, str):
        return value
    s = terminal(value)
    return "'" + s if value.startswith(FORMULA_STARTS) else s


def json_text(text: str) -> str:
    """A dumped JSON document (``ensure_ascii=False``) made valid UTF-8 and terminal-safe.

    The characters replaced can only stand inside JSON strings, so the document stays valid.
    """
    def sub(m: re.Match) -> str:
        code = ord(m.group(0))
        if code in _SURROGATE_ESCAPE:
            return f"\\\\x{code - 0xDC00:02x}"  # a literal backslash-x in the string value
        return f"\\u{code:04x}"

    return _JSON_UNSAFE.sub(sub, text)

"""Fit a report to a terminal: wrapped text and tables sized to its width, wide characters counted.

``fit_doc(doc, width)`` returns a copy of the document whose paragraphs and list items are
wrapped at word boundaries and whose tables are narrowed (the longest text columns cut with
"…"; dates and times are never cut) so that ``render_text`` draws no line wider than
``width`` columns when the text columns can give the room. Widths are display
columns: an emoji or a CJK character takes two, a combining mark none.
"""

from __future__ import annotations

import re
import textwrap

from crampcheck.report.doc import Doc, Items, Para, Table, char_width, display_width
from crampcheck.safetext import terminal

ITEM_FIRST_INDENT = 4  # "  • " before an item's first line
ITEM_REST_INDENT = 4  # "    " before its other lines
TABLE_INDENT = 2  # "  " before a table line
COLUMN_GAP = 2  # spaces between table columns
MIN_COLUMN = 6  # a narrowed column keeps at least this many columns
KEEP_NARROW = 9  # a column this narrow is never cut (levels: "VERY HIGH", sports: "running")
MIN_WIDTH = 40  # narrower terminals are treated as this wide
ELLIPSIS = "…"
DATE_LIKE = re.compile(r"^[\d\s:./–-]*$")  # dates, times, counts: never cut


def cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` display columns, "…" at the end when cut."""
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = char_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + ELLIPSIS


def _wrap(line: str, width: int) -> list[str]:
    if display_width(line) <= width:
        return [line]
    return textwrap.wrap(line, width=width, break_on_hyphens=False) or [line]


def _narrow(table: Table, width: int) -> Table:
    """The table with its widest left-aligned columns cut until its lines fit ``width``."""
    rows = [table.headers, *table.rows]
    widths = [max(display_width(r[i]) for r in rows) for i in range(len(table.headers))]
    align = table.align.ljust(len(widths), "l")
    kept = {i for i in range(len(widths))
            if widths[i] <= KEEP_NARROW or all(DATE_LIKE.match(row[i]) for row in table.rows)}
    room = width - TABLE_INDENT - COLUMN_GAP * (len(widths) - 1)
    while sum(widths) > room:
        candidates = [i for i, a in enumerate(align) if a == "l" and i not in kept and widths[i] > MIN_COLUMN]
        if not candidates:
            break
        i = max(candidates, key=lambda c: widths[c])
        widths[i] -= 1
    return Table([cut(h, w) for h, w in zip(table.headers, widths)],
                 [[cut(c, w) for c, w in zip(row, widths)] for row in table.rows], table.align)


def fit_doc(doc: Doc, width: int) -> Doc:
    """A copy of ``doc`` that renders as terminal text no wider than ``width`` columns
    (measured on the text as it will show: sanitized by ``safetext.terminal`` first)."""
    width = max(width, MIN_WIDTH)
    out = Doc(terminal(doc.title))
    for block in doc.blocks:
        if isinstance(block, Para):
            block = Para([part for line in block.lines for part in _wrap(terminal(line), width)])
        elif isinstance(block, Items):
            items = []
            for first, *rest in block.items:
                head = _wrap(terminal(first), width - ITEM_FIRST_INDENT)
                tail = [part for line in rest for part in _wrap(terminal(line), width - ITEM_REST_INDENT)]
                items.append([head[0], *head[1:], *tail])
            block = Items(items)
        elif isinstance(block, Table):
            shown = Table([terminal(h) for h in block.headers], [[terminal(c) for c in r] for r in block.rows], block.align)
            block = _narrow(shown, width)
        out.add(block)
    return out

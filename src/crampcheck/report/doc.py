"""A tiny document model rendered as terminal text or Markdown.

Reports are built once as a list of blocks, then rendered: the terminal and the Markdown
versions cannot drift apart. Colour is only an extra: every level is also spelled out.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from crampcheck.safetext import markdown, terminal

LEVEL_COLORS = {"high": "red", "very high": "red", "moderate": "yellow", "low": "green"}


@dataclass
class Heading:
    text: str


@dataclass
class Para:
    lines: list[str]


@dataclass
class Items:
    """A bulleted list; each item is a first line plus indented continuation lines."""

    items: list[list[str]]


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    align: str = ""  # one char per column: "l" or "r" (default "l")


@dataclass
class Doc:
    title: str
    blocks: list = field(default_factory=list)

    def add(self, block) -> Doc:
        self.blocks.append(block)
        return self


def plain(text: str) -> str:
    """``text`` safe for a terminal (``crampcheck.safetext.terminal``); the renderers apply it to every string."""
    return terminal(text)


def _style(text: str, color: bool, **kwargs) -> str:
    if not color:
        return text
    import click

    return click.style(text, **kwargs)


def colorize_levels(text: str, color: bool) -> str:
    """Colour upper-case level words (HIGH, MODERATE, LOW) when colour is on."""
    if not color:
        return text
    for level, fg in LEVEL_COLORS.items():
        word = level.upper()
        text = text.replace(word, _style(word, color, fg=fg, bold=True))
    return text


def char_width(ch: str) -> int:
    """Display columns of one character: 2 for wide and full-width (CJK, most emoji), 0 for
    combining marks and zero-width joiners / variation selectors, else 1."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Columns ``text`` takes on a terminal (what aligns a table holding emoji or CJK names)."""
    return sum(char_width(ch) for ch in text)


def pad(text: str, width: int, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` display columns (on the left when ``right``)."""
    fill = " " * max(width - display_width(text), 0)
    return fill + text if right else text + fill


def _pad_table(table: Table) -> list[str]:
    table = Table([terminal(h) for h in table.headers], [[terminal(c) for c in row] for row in table.rows], table.align)
    widths = [display_width(h) for h in table.headers]
    for row in table.rows:
        widths = [max(w, display_width(c)) for w, c in zip(widths, row)]
    align = table.align.ljust(len(widths), "l")

    def fmt(cells: list[str]) -> str:
        return "  ".join(pad(c, w, a == "r") for c, w, a in zip(cells, widths, align)).rstrip()

    return [fmt(table.headers), fmt(["-" * w for w in widths]), *(fmt(r) for r in table.rows)]


def render_text(doc: Doc, color: bool = False) -> str:
    """Terminal text; every string passes ``safetext.terminal`` before any colour is added."""
    out = [_style(terminal(doc.title), color, bold=True)]
    for block in doc.blocks:
        if isinstance(block, Heading):
            out += ["", _style(terminal(block.text), color, bold=True, underline=True)]
        elif isinstance(block, Para):
            out += [colorize_levels(terminal(line), color) for line in block.lines]
        elif isinstance(block, Items):
            for first, *rest in block.items:
                out.append(colorize_levels(f"  • {terminal(first)}", color))
                out += [f"    {terminal(line)}" for line in rest]
        elif isinstance(block, Table):
            out += [f"  {line}" for line in _pad_table(block)]
    return "\n".join(out) + "\n"


def render_markdown(doc: Doc) -> str:
    """Markdown; every string passes ``safetext.markdown`` (no tags, links, images, pipes, newlines)."""
    out = [f"# {markdown(doc.title)}"]
    for block in doc.blocks:
        if isinstance(block, Heading):
            out += ["", f"## {markdown(block.text)}", ""]
        elif isinstance(block, Para):
            out += [f"{markdown(line)}  " for line in block.lines]
        elif isinstance(block, Items):
            for first, *rest in block.items:
                out.append(f"- {markdown(first)}")
                out += [f"  {markdown(line)}  " for line in rest]
        elif isinstance(block, Table):
            align = block.align.ljust(len(block.headers), "l")
            out += [
                "| " + " | ".join(markdown(h) for h in block.headers) + " |",
                "|" + "|".join("---:" if a == "r" else "---" for a in align) + "|",
                *("| " + " | ".join(markdown(c) for c in row) + " |" for row in block.rows),
            ]
    return "\n".join(out) + "\n"

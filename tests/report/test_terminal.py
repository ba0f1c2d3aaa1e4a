"""Reports fitted to a terminal: wrapped at word boundaries, tables narrowed, wide characters aligned."""

from __future__ import annotations

from crampcheck.report.doc import Doc, Heading, Items, Para, Table, display_width, render_text
from crampcheck.report.terminal import fit_doc

LONG = ("Single runs longer than the longest of the last 30 days are the load change most clearly tied to injury; "
        "week-to-week ratios were not, in a cohort of 5,200 runners followed for eighteen months.")


def _doc() -> Doc:
    names = ["Morning Run", "朝のランニング 東京", "🏃‍♀️ parkrun 🎉", "Très long nom de course du dimanche matin au bord du lac"]
    rows = [[f"2024-05-0{i + 1} 07:00", n, "6.21 mi", "48:10", "LOW", f"export.zip!DI_CONNECT/Part1.zip!{1000 + i}.fit"]
            for i, n in enumerate(names)]
    return (Doc("crampcheck scan · export.zip").add(Para([LONG]))
            .add(Heading("What to change first")).add(Items([["1. HIGH distance spike " + LONG, LONG, "→ " + LONG]]))
            .add(Table(["local start", "name", "distance", "moving", "level", "file"], rows, "llrrll")))


def test_every_line_fits_80_columns_and_no_word_is_split():
    text = render_text(fit_doc(_doc(), 80))
    assert max(display_width(line) for line in text.splitlines()) <= 80
    words = set(LONG.split())
    prose = [w for line in text.splitlines() if "…" not in line for w in line.split()]
    assert all(w in words for w in prose if w.endswith(("runners", "injury;", "eighteen")))
    assert "tied to injury; week-to-week" in " ".join(line.strip() for line in text.splitlines())


def test_wide_characters_keep_table_columns_aligned():
    lines = [line for line in render_text(_doc()).splitlines() if line.startswith("  20")]
    assert len(lines) == 4
    # the column after the name starts at the same display column on every row
    starts = [display_width(line[:line.index(" 6.21 mi")]) for line in lines]
    assert len(set(starts)) == 1


def test_narrowed_tables_cut_text_columns_not_numbers():
    text = render_text(fit_doc(_doc(), 60))
    rows = [line for line in text.splitlines() if line.startswith("  20")]
    assert all(display_width(r) <= 60 for r in rows) and all("6.21 mi" in r and "48:10" in r for r in rows)
    assert any("…" in r for r in rows)

"""The page shell shared by the HTML reports: one self-contained file, CSS inline.

The page loads nothing from anywhere: a Content-Security-Policy with the hashes of its own
<style> and <script> blocks forbids every other source, so even text that escaped escaping
could not run a script or fetch a URL. Light and dark mode follow ``prefers-color-scheme``.
Levels are always written out with a glyph, never told by colour alone.
"""

from __future__ import annotations

import base64
import hashlib
import math
from collections.abc import Sequence
from html import escape
from typing import Any

from crampcheck.units import METERS_PER_FOOT, METERS_PER_KM, METERS_PER_MILE, temperature_in, temperature_unit

# level -> (glyph, text); the glyph shape differs per level so print-outs and colour-blind
# readers see the level without colour
LEVEL_GLYPHS = {
    "very high": "▲▲",
    "high": "▲",
    "moderate": "◆",
    "low": "○",
    "note": "ℹ",
}
UNKNOWN_LEVEL_GLYPH = "•"
UNIT_LABELS = {"degC": "°C", "count": "", "ratio": "×"}  # how a finding's unit reads after a number

CSS = """
:root{color-scheme:light dark;--bg:#fff;--fg:#1c1e21;--muted:#5b6168;--card:#f4f5f7;--line:#d0d4d9;
--pace:#1f5fbf;--gap:#7a3db8;--hr:#c0262d;--temp:#b35900;--elev:#3b7a3b;--route:#1f5fbf;--bar:#5b8fd6;
--band-warm:rgba(255,170,0,.16);--band-cool:rgba(0,140,200,.14);--band-surge:rgba(190,30,140,.16);
--high:#b3141b;--moderate:#8a5a00;--low:#2e6b2e;--mark:#444}
@media (prefers-color-scheme:dark){:root{--bg:#15171a;--fg:#e6e8eb;--muted:#a3a9b0;--card:#1f2226;--line:#3a3f45;
--pace:#6ea8ff;--gap:#c39bff;--hr:#ff7a7f;--temp:#ffaa55;--elev:#7fcf7f;--route:#6ea8ff;--bar:#4d7fc4;
--band-warm:rgba(255,170,0,.18);--band-cool:rgba(0,160,230,.18);--band-surge:rgba(230,80,190,.2);
--high:#ff6b70;--moderate:#f0b840;--low:#7fcf7f;--mark:#c8ccd1}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:960px;margin:0 auto;padding:16px}
h1{font-size:1.5rem;margin:.2em 0}h2{font-size:1.2rem;margin:1.4em 0 .5em;border-bottom:1px solid var(--line)}
h3{font-size:1rem;margin:.4em 0}
.muted{color:var(--muted)}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(130px,1fr));gap:8px;margin:0;padding:0}
.tiles div{background:var(--card);border-radius:6px;padding:8px 10px}
.tiles dt{font-size:.8rem;color:var(--muted)}.tiles dd{margin:0;font-weight:600}
.level{display:inline-block;font-weight:700;white-space:nowrap;padding:0 .4em;border:1px solid currentColor;border-radius:4px;font-size:.85rem}
.level.level-high,.level.level-very-high{color:var(--high)}.level.level-moderate{color:var(--moderate)}.level.level-low{color:var(--low)}
.findings{list-style:none;padding:0;margin:0}
.finding{background:var(--card);border-radius:6px;padding:10px 12px;margin:8px 0;border-left:4px solid var(--line)}
.finding.level-high,.finding.level-very-high{border-left-color:var(--high)}.finding.level-moderate{border-left-color:var(--moderate)}
.finding.level-low{border-left-color:var(--low)}
.finding p{margin:.3em 0}
figure{margin:12px 0}figcaption{font-size:.9rem;color:var(--muted)}
svg.chart{display:block;width:100%;height:auto;max-height:70vh;font-size:11px}
svg.route{max-width:420px;margin:0 auto}
svg text{fill:var(--fg)}svg .tick,svg .legend-text,svg .band-label{fill:var(--muted)}
svg .axis{stroke:var(--muted)}svg .grid{stroke:var(--line);stroke-width:.6}svg .tickmark{stroke:var(--muted)}
svg .series{fill:none;stroke-width:1.8;stroke-linejoin:round}
svg .pace{stroke:var(--pace)}svg .gap{stroke:var(--gap)}svg .hr{stroke:var(--hr)}
svg .temp{stroke:var(--temp)}svg .elev{stroke:var(--elev)}svg .ramp{stroke:var(--pace)}svg .max30{stroke:var(--gap)}
svg .series.dashed{stroke-dasharray:5 3}svg .legend{white-space:pre}svg .swatch{stroke:none;font-weight:700}
svg .swatch.pace,svg .swatch.ramp{fill:var(--pace)}svg .swatch.gap,svg .swatch.max30{fill:var(--gap)}
svg .route-bg{fill:var(--card)}svg .route-line{stroke:var(--route);stroke-width:2.2}
svg .band rect{stroke:none}svg .warmup rect{fill:var(--band-warm)}svg .cooldown rect{fill:var(--band-cool)}
svg .surge rect{fill:var(--band-surge)}
svg .marker line{stroke:var(--mark);stroke-dasharray:3 3}svg .marker-label{font-size:10px}
svg .marker.level-high line,svg .marker.level-very-high line{stroke:var(--high)}svg .marker.level-moderate line{stroke:var(--moderate)}
svg .marker.cramp line{stroke:var(--high);stroke-width:2.5;stroke-dasharray:none}svg .marker.cramp .marker-label{font-weight:700}
svg .segment line{stroke:var(--fg);stroke-width:3}svg .segment-label{font-weight:600}
svg .hline line{stroke:var(--muted);stroke-dasharray:6 4}svg .hline-label{fill:var(--muted);font-size:10px}
svg .bar rect{fill:var(--bar)}svg .bar.partial rect{opacity:.5}svg .bar.flag-moderate rect{fill:var(--moderate)}
svg .bar.flag-high rect,svg .bar.flag-very-high rect{fill:var(--high)}svg .bar-tick{stroke:var(--gap);stroke-width:2.5}
svg .bar-label{font-size:10px}
svg .route-point{fill:var(--bg);stroke:var(--fg);stroke-width:2}svg .route-point.start{fill:var(--low)}
svg .route-point.finish{fill:var(--fg)}svg .route-point.level-high,svg .route-point.level-very-high{stroke:var(--high)}
svg .span circle,svg .span rect{fill:var(--muted)}svg .span.level-high circle,svg .span.level-high rect,
svg .span.level-very-high circle,svg .span.level-very-high rect{fill:var(--high)}
svg .span.level-moderate circle,svg .span.level-moderate rect{fill:var(--moderate)}svg .span-glyph{font-size:10px}
svg .row-label{font-size:11px}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.9rem}
caption{text-align:left;color:var(--muted);padding:4px 0}
th,td{padding:4px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}td time{white-space:nowrap}
th button{font:inherit;font-weight:700;color:inherit;background:none;border:0;padding:0;cursor:pointer}
th button::after{content:" ↕";color:var(--muted)}
th[aria-sort=ascending] button::after{content:" ▲"}th[aria-sort=descending] button::after{content:" ▼"}
.plan{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:8px}
.plan section{background:var(--card);border-radius:6px;padding:8px 12px}
footer{margin:2em 0 1em;font-size:.8rem;color:var(--muted)}
code{overflow-wrap:anywhere}li{overflow-wrap:anywhere}
.digest{list-style:none;padding:0;margin:0;counter-reset:top}
.occurrences{margin:.3em 0;padding-left:1.2em;font-size:.9rem}
tr:target{outline:2px solid var(--pace)}
.finding details p{margin:.3em 0}
@media (max-width:560px){main{padding:10px}.tiles{grid-template-columns:repeat(auto-fit,minmax(105px,1fr))}
.finding{padding:6px 8px;margin:6px 0}h2{margin:1em 0 .4em}svg.chart{font-size:15px}svg .marker-label,svg .bar-label,svg .hline-label{font-size:13px}
h1{font-size:1.25rem}}
"""

# Sorts a table when a header button is pressed: by each cell's data-sort value
# (numbers numerically, the rest as text); empty values always go last.
SORT_JS = """
document.querySelectorAll("table.sortable").forEach(function(table){
  table.querySelectorAll("thead th").forEach(function(th, col){
    var button = th.querySelector("button");
    if (!button) return;
    button.addEventListener("click", function(){
      var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
      table.querySelectorAll("thead th").forEach(function(h){ h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", dir);
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      var key = function(row){ var v = row.cells[col].getAttribute("data-sort"); return v === null ? "" : v; };
      rows.sort(function(a, b){
        var x = key(a), y = key(b);
        if (x === "" || y === "") return (x === "") - (y === "");
        var nx = Number(x), ny = Number(y);
        var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
        return dir === "ascending" ? c : -c;
      });
      rows.forEach(function(r){ body.appendChild(r); });
    });
  });
});
"""


def num(value: object) -> float | None:
    """A finite number, or None (bools and text are not numbers)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def esc(value: object) -> str:
    """Text from a file or a user, safe inside HTML text and quoted attributes."""
    return escape("" if value is None else str(value), quote=True)


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def level_class(level: str | None) -> str:
    """CSS class of a level ("very high" -> "level-very-high"); other characters are dropped."""
    words = "".join(c if c.isascii() and (c.isalnum() or c == " ") else " " for c in str(level or "unknown").lower()).split()
    return "level-" + ("-".join(words) or "unknown")


def level_badge(level: str | None) -> str:
    """A level as glyph + upper-case word, e.g. ``▲ HIGH`` (colour is only an extra)."""
    text = str(level or "unknown")
    glyph = LEVEL_GLYPHS.get(text.lower(), UNKNOWN_LEVEL_GLYPH)
    return f'<span class="level {level_class(text)}"><span aria-hidden="true">{glyph}</span> {esc(text.upper())}</span>'


def level_glyph(level: str | None) -> str:
    """The glyph alone (for chart labels, where space is short)."""
    return LEVEL_GLYPHS.get(str(level or "").lower(), UNKNOWN_LEVEL_GLYPH)


def _in_units(value: float | None, unit: str, units: str) -> tuple[float | None, str]:
    """A finding's SI value in the report's unit system: deg C as °F and m/km as ft per mile under "mi"."""
    if value is None or units != "mi":
        return value, UNIT_LABELS.get(unit, unit)
    if unit == "degC":
        return temperature_in(value, units), temperature_unit(units)
    if unit == "m/km":
        return value * METERS_PER_MILE / METERS_PER_KM / METERS_PER_FOOT, "ft per mile"
    return value, UNIT_LABELS.get(unit, unit)


def _value_text(f: dict[str, Any], units: str = "km") -> str:
    digits = 2 if f.get("unit") == "ratio" else 1  # as a runner reads them: "15.1 %", not "15.057 %"
    value, unit = _in_units(num(f.get("value")), str(f.get("unit") or ""), units)
    threshold, _ = _in_units(num(f.get("threshold")), str(f.get("unit") or ""), units)
    digits = 0 if unit in ("°F", "ft per mile") else digits  # as the why sentence gives them
    value = None if value is None else round(value, digits)
    threshold = None if threshold is None else round(threshold, digits)
    if value is None:
        return ""
    text = f"measured {value:g} {unit}".rstrip()
    if threshold is not None:
        text += f" (threshold {threshold:g} {unit}".rstrip() + ")"
    return text


def findings_html(findings: Sequence[dict[str, Any]], where: dict[int, str] | None = None, empty: str = "No risk factor found.",
                  units: str = "km") -> str:
    """The findings as a list; each item carries data-finding-id and data-level (for tests and tools).
    Measured values and thresholds read in ``units`` ("mi": °F, ft per mile)."""
    if not findings:
        return f"<p>{esc(empty)}</p>"
    items = []
    for i, f in enumerate(findings):
        details = [x for x in (
            _value_text(f, units),
            (where or {}).get(i, ""),
            f"raised: {f['raised_by']}" if f.get("raised_by") else "",
        ) if x]
        sub = " · ".join(x for x in (f.get("subscore"), f"evidence: {f['evidence']}" if f.get("evidence") else "") if x)
        items.append(
            f'<li class="finding {level_class(f.get("level"))}" data-finding-id="{esc(f.get("id"))}" data-level="{esc(f.get("level"))}">'
            f'<h3>{level_badge(f.get("level"))} <code>{esc(f.get("id"))}</code> <span class="muted">{esc(sub)}</span></h3>'
            f'<p>{esc(f.get("why"))}</p>'
            + (f'<p><strong>Advice:</strong> {esc(f["advice"])}</p>' if f.get("advice") else "")
            + (f'<p class="muted">{esc("; ".join(details))}</p>' if details else "")
            + "</li>"
        )
    return f'<ol class="findings">{"".join(items)}</ol>'


def figure(svg: str, caption: str) -> str:
    """A chart in a <figure> with a visible caption; "" when the chart is empty."""
    if not svg:
        return ""
    return f"<figure>{svg}<figcaption>{esc(caption)}</figcaption></figure>"


def tiles(items: Sequence[tuple[str, str]]) -> str:
    """Key figures as a description list (label, value: both plain text)."""
    cells = "".join(f"<div><dt>{esc(k)}</dt><dd>{esc(v)}</dd></div>" for k, v in items)
    return f'<dl class="tiles">{cells}</dl>'


def sort_value(value: object) -> str:
    """A cell's data-sort attribute value ("" for missing, numbers as plain decimals)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    return esc(value)


def table(
    caption: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    numeric: Sequence[bool] | None = None,
    sort_keys: Sequence[Sequence[object]] | None = None,
    table_id: str = "",
) -> str:
    """A semantic table. Cells in ``rows`` are HTML (escape text before); headers are text.

    With ``sort_keys`` (one value per cell) the table gets header buttons that sort it.
    """
    numeric = list(numeric or [False] * len(headers))
    sortable = sort_keys is not None
    ths = []
    for h, num in zip(headers, numeric):
        cls = ' class="num"' if num else ""
        label = f'<button type="button">{esc(h)}</button>' if sortable else esc(h)
        ths.append(f'<th scope="col"{cls}>{label}</th>')
    body = []
    for r, row in enumerate(rows):
        tds = []
        for c, cell in enumerate(row):
            cls = ' class="num"' if numeric[c] else ""
            key = f' data-sort="{sort_value(sort_keys[r][c])}"' if sortable else ""
            tds.append(f"<td{cls}{key}>{cell}</td>")
        body.append("<tr>" + "".join(tds) + "</tr>")
    attrs = (f' id="{esc(table_id)}"' if table_id else "") + (' class="sortable"' if sortable else "")
    return (
        f'<div class="table-wrap"><table{attrs}><caption>{esc(caption)}</caption>'
        f"<thead><tr>{''.join(ths)}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def page(title: str, body: str, script: str = "") -> str:
    """The whole HTML document: body is HTML, title is text; ``script`` is trusted inline JS."""
    sources = [f"style-src {_csp_hash(CSS)}"]
    if script:
        sources.append(f"script-src {_csp_hash(script)}")
    csp = "; ".join(["default-src 'none'", *sources, "base-uri 'none'", "form-action 'none'"])
    script_tag = f"<script>{script}</script>" if script else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="color-scheme" content="light dark">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        f"<title>{esc(title)}</title><style>{CSS}</style></head>"
        f"<body><main>{body}</main>{script_tag}</body></html>\n"
    )

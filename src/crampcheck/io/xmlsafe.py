"""Parse untrusted XML (GPX, TCX) safely with lxml, and turn element texts into arrays.

The parser never expands entities, never loads a DTD, never touches the network, and
refuses any document whose DTD declares entities (billion laughs, XXE). Malformed XML
becomes one clear line: ``malformed XML at line 17: <what libxml2 says>``.

``parse`` gives the lxml tree of any document; ``xmlscan.scan_plain`` reads the usual
*plain* activity file (no DTD, comment or processing instruction) column-wise after
libxml2 has checked it with the same settings, several times faster. Readers try the
scan, then the tree.
"""

from __future__ import annotations

import math
import re

import numpy as np
from lxml import etree

from crampcheck.errors import UnreadableFileError

UTF8_BOM = b"\xef\xbb\xbf"
# Times are held in nanoseconds (years 1678-2261). A year outside is pinned to the nearest edge,
# never wrapped (numpy wraps 2570 to 1985): the data checks then drop it as a clock fault, with a warning.
TIME_FLOOR = np.datetime64("1678-01-01T00:00:00", "s")
TIME_CEIL = np.datetime64("2262-01-01T00:00:00", "s")
_LOCAL_TIME = re.compile(r"-?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d")  # the date and time of an ISO text, zone left out
PROLOG_BYTES = 64 * 1024  # where a DOCTYPE and its entity declarations are looked for
_ENTITIES_REFUSED = "XML declares entities in a DTD (refused: activity files never need them)"

# The zone at the end of one line: "Z", "+hh:mm", "+hhmm" or nothing (the empty branch
# matches just before the newline when no zone does), so a findall gives one per line.
_ZONE_AT_END = re.compile(r"(Z|[+-]\d\d:?\d\d|)\n")
# A local date and time numpy reads exactly as pandas' ISO 8601 parser does.
_PLAIN_LOCAL_TIME = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d{1,9})?")
SECONDS_PER_HOUR = 3600
SECONDS_PER_MINUTE = 60
_LOCATION_SUFFIX = re.compile(r",\s*line \d+,\s*column \d+\s*$")


def _parser(drop_comments: bool) -> etree.XMLParser:
    """A fresh lxml parser with every external or expanding feature off.

    ``drop_comments`` removes comments and processing instructions (so that text split by a
    comment reads whole). It slows libxml2 down by about a half, so ``parse`` asks for it only
    when the document holds ``<!--`` or ``<?`` past its declaration.
    """
    return etree.XMLParser(
        resolve_entities=False,  # keep &name; as a node, never substitute it
        load_dtd=False,  # never read an external DTD
        no_network=True,  # never fetch anything
        dtd_validation=False,
        huge_tree=False,  # keep libxml2's limits on depth and text size
        collect_ids=False,  # xml:id lookups are never used: a faster parse
        remove_blank_text=True,  # fewer nodes: faster to parse and walk
        remove_comments=drop_comments,
        remove_pis=drop_comments,
    )


def _has_comments_or_pis(body: bytes) -> bool:
    """True when ``body`` (starting at ``<``) may hold a comment or processing instruction.

    Both need a literal ``<!--`` or ``<?`` in the bytes of an ASCII-compatible encoding; the
    XML declaration is the one allowed ``<?``, at offset 0. Other encodings (UTF-16) always
    say True. A false positive (``<!--`` in CDATA) only costs the slower parser.
    """
    if not body.startswith(b"<") or body[1:2] == b"\x00":  # not ASCII-compatible (UTF-16...)
        return True
    return b"<!--" in body or body.find(b"<?", 1) >= 0


def strip_leading(data: bytes) -> tuple[bytes, int]:
    """``data`` without a UTF-8 BOM and leading whitespace, and the newlines removed.

    Real exports (Polar Flow TCX) put spaces before ``<?xml ...?>``, which XML forbids.
    """
    body = data[len(UTF8_BOM):] if data.startswith(UTF8_BOM) else data
    stripped = body.lstrip()
    return stripped, body[: len(body) - len(stripped)].count(b"\n")


def parse(data: bytes, source: str) -> etree._Element:
    """The root element of ``data``, or UnreadableFileError with one clear line."""
    body, skipped_lines = strip_leading(data)
    if not body:
        raise UnreadableFileError("empty XML document", source)
    prolog = body[:PROLOG_BYTES]
    if b"<!DOCTYPE" in prolog and b"<!ENTITY" in prolog:  # refuse before libxml2 sees the DTD
        raise UnreadableFileError(_ENTITIES_REFUSED, source)
    try:
        root = etree.fromstring(body, _parser(_has_comments_or_pis(body)))
    except etree.XMLSyntaxError as exc:
        message = " ".join(_LOCATION_SUFFIX.sub("", str(exc.msg or exc)).split())  # libxml2 may quote a newline
        line = (exc.lineno or 0) + skipped_lines
        raise UnreadableFileError(f"malformed XML at line {line}: {message}", source) from None
    refuse_entities(root, source)
    return root


def refuse_entities(root: etree._Element, source: str) -> None:
    """Raise UnreadableFileError when the document's DTD declares any entity."""
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise UnreadableFileError(_ENTITIES_REFUSED, source)


def local_name(tag: str) -> str:
    """``{namespace}name`` -> ``name``."""
    return tag[tag.rfind("}") + 1:]


def floats(values) -> np.ndarray:
    """Element texts -> float64 array: Python ``float()`` of each text, NaN for None or junk."""
    try:
        return np.array(values, dtype=float)  # fast path: every value is a number
    except (TypeError, ValueError):
        return np.array([_float_or_nan(value) for value in values], dtype=float)


def _float_or_nan(text) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):
        return math.nan


def iso_times(texts) -> tuple[np.ndarray, set[int]]:
    """ISO 8601 texts -> UTC times, datetime64[ns] (NaT where missing or unparsable), and the
    offsets stated.

    The offsets are the distinct UTC offsets, in seconds, written on the timestamps; "Z"
    and timestamps without a zone (GPX and TCX times are UTC) count as 0. Plain
    ``YYYY-MM-DDThh:mm:ss[.f]`` times are read by numpy; any other text (a date alone, a
    week date, an impossible day...) goes through pandas' ISO 8601 parser, imported then.
    """
    text = [t.strip() if t else None for t in texts]
    present = [t for t in text if t]
    utc = _plain_iso_times(text, present)
    if utc is None:
        import pandas as pd  # rare layouts only: pandas' ISO 8601 parser

        parsed = pd.to_datetime(pd.Series(text, dtype=object), utc=True, format="ISO8601", errors="coerce")
        # pandas may hold the times in seconds or microseconds: pinned before nanoseconds (NaT stays NaT)
        utc = pinned_seconds(pd.DatetimeIndex(parsed).tz_convert(None).to_numpy()).astype("datetime64[ns]")
        for i in np.flatnonzero(np.isnat(utc) & np.array([bool(t) for t in text], dtype=bool)):
            utc[i] = _pinned(text[i])  # unparsable, or a year not even pandas holds: the latter pinned
    return utc, {_offset_s(zone) for zone in _zones(present)}


def _plain_iso_times(text: list[str | None], present: list[str]) -> np.ndarray | None:
    """``iso_times``' UTC times when every present text is a plain ISO 8601 date and time with
    an optional zone; None otherwise."""
    zones = _ZONE_AT_END.findall("\n".join(present) + "\n") if present else []
    if len(zones) != len(present):
        return None
    local = [t[: len(t) - len(zone)] for t, zone in zip(present, zones)]
    if not all(_PLAIN_LOCAL_TIME.fullmatch(t) for t in local):
        return None
    try:
        if all("1678" <= t[:4] <= "2261" for t in local):  # every year one nanoseconds hold
            stamps = np.array(local, dtype="datetime64[ns]")
        else:  # numpy would wrap the others (2570 -> 1985): pinned at the edge first
            stamps = pinned_seconds(np.array(local, dtype="datetime64[us]")).astype("datetime64[ns]")
    except ValueError:  # an impossible date (month 13, second 60): pandas decides
        return None
    offsets = np.array([_offset_s(zone) for zone in zones], dtype=np.int64)
    utc = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[ns]")
    utc[[i for i, t in enumerate(text) if t]] = stamps - offsets.astype("timedelta64[s]")
    return utc


def pinned_seconds(seconds: np.ndarray) -> np.ndarray:
    """datetime64 times (any unit coarser than ns) held between TIME_FLOOR and TIME_CEIL, so a
    conversion to nanoseconds never wraps."""
    return np.minimum(np.maximum(seconds, TIME_FLOOR), TIME_CEIL)


def _pinned(text: str) -> np.datetime64:
    """The edge time for an ISO text whose year is outside 1678-2261; NaT for anything else."""
    local = _LOCAL_TIME.match(text)
    try:
        stamp = np.datetime64(local.group(0), "s") if local else None
    except ValueError:
        stamp = None
    if stamp is None:
        return np.datetime64("NaT", "ns")
    if TIME_FLOOR <= stamp < TIME_CEIL:
        return np.datetime64("NaT", "ns")  # in range: it was unparsable for another reason
    return pinned_seconds(stamp).astype("datetime64[ns]")


def _zones(texts) -> set[str]:
    """The distinct zone suffixes of non-empty texts, in one regex pass over them all."""
    texts = list(texts)
    zones = _ZONE_AT_END.findall("\n".join(texts) + "\n") if texts else []
    if len(zones) != len(texts):  # a text with a newline inside: one text at a time
        zones = [_ZONE_AT_END.findall(t.replace("\n", " ") + "\n")[-1] for t in texts]
    return set(zones)


def _offset_s(zone: str) -> int:
    """``"Z"``, ``""``, ``"+02:00"``, ``"-0530"`` -> UTC offset in seconds."""
    if len(zone) < len("+hhmm"):
        return 0
    sign = -1 if zone[0] == "-" else 1
    return sign * (int(zone[1:3]) * SECONDS_PER_HOUR + int(zone[-2:]) * SECONDS_PER_MINUTE)

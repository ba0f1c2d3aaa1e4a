"""Parse untrusted XML (GPX, TCX) safely with lxml, and turn element texts into arrays.

The parser never expands entities, never loads a DTD, never touches the network, and
refuses any document whose DTD declares entities (billion laughs, XXE). Malformed XML
becomes one clear line: ``malformed XML at line 17: <what libxml2 says>``.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
from lxml import etree

from crampcheck.errors import UnreadableFileError

UTF8_BOM = b"\xef\xbb\xbf"
PROLOG_BYTES = 64 * 1024  # where a DOCTYPE and its entity declarations are looked for
_ENTITIES_REFUSED = "XML declares entities in a DTD (refused: activity files never need them)"

# The zone at the end of one line: "Z", "+hh:mm", "+hhmm" or nothing (the empty branch
# matches just before the newline when no zone does), so a findall gives one per line.
_ZONE_AT_END = re.compile(r"(Z|[+-]\d\d:?\d\d|)\n")
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
        message = _LOCATION_SUFFIX.sub("", str(exc.msg or exc)).strip()
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


def iso_times(texts) -> tuple[pd.DatetimeIndex, set[int]]:
    """ISO 8601 texts -> UTC times (NaT where missing or unparsable) and the offsets stated.

    The offsets are the distinct UTC offsets, in seconds, written on the timestamps; "Z"
    and timestamps without a zone (GPX and TCX times are UTC) count as 0.
    """
    text = [t.strip() if t else None for t in texts]
    times = pd.to_datetime(pd.Series(text, dtype=object), utc=True, format="ISO8601", errors="coerce")
    return pd.DatetimeIndex(times).as_unit("ns"), {_offset_s(zone) for zone in _zones(t for t in text if t)}


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


# ---------------------------------------------------------------------------------------
# Plain-document scan: the fast path for GPX and TCX.
#
# Most activity files are "plain" XML: UTF-8 or ASCII, no DOCTYPE, no comment, no CDATA,
# no processing instruction, and no ">" outside tags. In such a document, once libxml2 has
# checked that it is well formed, every "<" opens a tag and the next ">" closes it, so the
# tags can be found with numpy over the raw bytes, and texts and attribute values read
# column-wise without one Python object per element. ``scan_plain`` returns None for any
# other document: the reader then walks the lxml tree (``parse``), which handles them all.

OPEN, EMPTY, CLOSE, DECLARATION = 0, 1, 2, 3  # tag kinds: <a>, <a/>, </a>, <?xml ...?>
NAME_BYTES = 16  # longest local name the scan can match (numpy compares 16-byte keys)
MAX_VALUE_BYTES = 64  # longer texts or attribute values are decoded one by one
_LT, _GT, _SLASH, _EQUALS, _QUOTE, _APOS, _COLON, _QUESTION, _AMP, _SPACE = b'<>/="\':?& '
_ASCII_END = 0x80
_PLAIN_ENCODINGS = frozenset({"utf-8", "utf8", "us-ascii", "ascii"})
_DECLARED_ENCODING = re.compile(rb"""encoding\s*=\s*["']([^"']*)["']""")
_ATTRIBUTE = re.compile(rb"""\s*([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REFERENCE = re.compile(r"&(#x[0-9A-Fa-f]+|#[0-9]+|lt|gt|amp|quot|apos);")
_PREDEFINED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
ZULU_LAYOUTS = ("dddd-dd-ddTdd:dd:ddZ", "dddd-dd-ddTdd:dd:dd.dddZ")  # read by numpy directly


class _CountingTarget:
    """A parser target that builds nothing: libxml2 only checks the document."""

    def close(self) -> None:
        return None


def _is_plain(body: bytes) -> bool:
    """True when ``body`` is ASCII-compatible and holds no DOCTYPE, comment, CDATA or PI."""
    if not body.startswith(b"<") or body[1:2] in (b"\x00", b"") or b"<!" in body or body.find(b"<?", 1) >= 0:
        return False
    if body.startswith(b"<?"):
        declaration = body[: body.find(b"?>") + 2]
        found = _DECLARED_ENCODING.search(declaration)
        if found and found.group(1).decode("ascii", "replace").lower() not in _PLAIN_ENCODINGS:
            return False
    return True


def _checked_by_libxml2(body: bytes) -> bool:
    """True when libxml2 finds ``body`` well formed with no error or warning at all."""
    parser = etree.XMLParser(
        target=_CountingTarget(), resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False
    )
    try:
        etree.fromstring(body, parser)
    except etree.XMLSyntaxError:
        return False
    return len(parser.error_log) == 0


def _xml_text(raw: bytes, attribute: bool = False) -> str:
    """Raw bytes of a text or attribute value -> the string an XML parser gives."""
    text = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    if attribute:  # attribute-value normalisation: literal whitespace becomes a space
        text = text.replace("\n", " ").replace("\t", " ")
    return _REFERENCE.sub(_resolve_reference, text) if "&" in text else text


def _resolve_reference(match: re.Match) -> str:
    ref = match.group(1)
    if ref.startswith("#x"):
        return chr(int(ref[2:], 16))
    if ref.startswith("#"):
        return chr(int(ref[1:]))
    return _PREDEFINED[ref]


def _last_index_where(mask: np.ndarray) -> np.ndarray:
    """For each position, the last index <= it where ``mask`` is True (-1 before any)."""
    return np.maximum.accumulate(np.where(mask, np.arange(mask.size), -1)) if mask.size else mask.astype(np.int64)


class PlainXml:
    """The tags of a plain, well-formed XML document, as numpy columns (one entry per tag).

    ``lt``/``gt``: byte offsets of each tag's ``<`` and ``>``; ``kind``: OPEN, EMPTY, CLOSE
    or DECLARATION; ``depth``: 1 for the root element (for a CLOSE tag: the depth of the
    element it closes); ``name``: index of the tag's local name in ``names``, -1 for others.
    """

    def __init__(self, body: bytes, names: tuple[str, ...]):
        self.body = body
        self.buf = np.frombuffer(body, dtype=np.uint8)
        self.lt = np.flatnonzero(self.buf == _LT)
        self.gt = np.flatnonzero(self.buf == _GT)
        self.ok = self.lt.size == self.gt.size > 0 and bool((self.lt < self.gt).all() and (self.gt[:-1] < self.lt[1:]).all())
        if not self.ok:  # a ">" outside a tag: not plain
            return
        second = self.buf[self.lt + 1]
        self.kind = np.where(second == _SLASH, CLOSE, np.where(self.buf[self.gt - 1] == _SLASH, EMPTY, OPEN))
        self.kind[second == _QUESTION] = DECLARATION
        step = np.where(self.kind == OPEN, 1, np.where(self.kind == CLOSE, -1, 0))
        level = np.cumsum(step)  # open elements after each tag
        self.depth = np.where(self.kind == OPEN, level, level + 1)
        self.name = self._name_codes(names)
        self._amp = np.flatnonzero(self.buf == _AMP)
        self._high = np.flatnonzero(self.buf >= _ASCII_END)

    def _name_codes(self, names: tuple[str, ...]) -> np.ndarray:
        """Code of each tag's local name (prefix dropped) in ``names``; -1 when not there."""
        codes = np.full(self.lt.size, -1, dtype=np.int16)
        tags = np.flatnonzero(self.kind <= EMPTY)  # only start tags need a name
        start = self.lt[tags] + 1
        buf = self.buf
        stops = np.flatnonzero((buf <= _SPACE) | (buf == _SLASH) | (buf == _GT))
        end = stops[np.searchsorted(stops, start)]
        colons = np.flatnonzero(buf == _COLON)
        if colons.size:
            last_colon = colons[np.maximum(np.searchsorted(colons, end) - 1, 0)]
            start = np.where((last_colon >= start) & (last_colon < end), last_colon + 1, start)
        keys = self._window(start, end - start, NAME_BYTES).view(np.uint64)
        length = end - start
        for code, name in enumerate(names):
            key = np.zeros(NAME_BYTES, dtype=np.uint8)
            key[: len(name)] = np.frombuffer(name.encode("ascii"), dtype=np.uint8)
            key = key.view(np.uint64)
            codes[tags[(length == len(name)) & (keys[:, 0] == key[0]) & (keys[:, 1] == key[1])]] = code
        return codes

    def _window(self, start: np.ndarray, length: np.ndarray, width: int) -> np.ndarray:
        """(n, width) uint8: ``length`` bytes from each ``start``, zero-padded (cut at width)."""
        columns = np.arange(width)
        window = self.buf[np.minimum(start[:, None] + columns, self.buf.size - 1)]
        window[columns >= length[:, None]] = 0
        return window

    def last_open(self, depth: int) -> np.ndarray:
        """For each tag, the index of the last OPEN tag at ``depth`` up to it (-1 if none).

        For a tag at ``depth + 1`` that is its parent; for deeper tags, its ancestor there.
        """
        return _last_index_where((self.kind == OPEN) & (self.depth == depth))

    def text_span(self, tags: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Byte span of each tag's text (what lxml's ``.text`` gives); empty for EMPTY tags."""
        start = self.gt[tags] + 1
        stop = np.where(self.kind[tags] == OPEN, self.lt[np.minimum(tags + 1, self.lt.size - 1)], start)
        return start, stop

    def texts(self, tags: np.ndarray) -> list[str | None]:
        """Each tag's text as lxml gives it (None when empty), decoded one by one."""
        start, stop = self.text_span(tags)
        return [_xml_text(self.body[a:b]) if b > a else None for a, b in zip(start.tolist(), stop.tolist())]

    def _simple(self, start: np.ndarray, stop: np.ndarray) -> bool:
        """True when no span holds a reference (&...;) or a non-ASCII byte, and none is long."""
        if start.size == 0:
            return True
        if int((stop - start).max()) > MAX_VALUE_BYTES:
            return False
        for marks in (self._amp, self._high):
            if marks.size and (np.searchsorted(marks, stop) > np.searchsorted(marks, start)).any():
                return False
        return True

    def _decoded(self, start: np.ndarray, stop: np.ndarray, attribute: bool = False) -> list[str | None]:
        return [
            _xml_text(self.body[a:b], attribute) if b > a or attribute else None
            for a, b in zip(start.tolist(), stop.tolist())
        ]

    def span_floats(self, start: np.ndarray, stop: np.ndarray, attribute: bool = False) -> np.ndarray:
        """Python ``float()`` of each span's text (NaN when empty or junk), read in bulk."""
        if self._simple(start, stop):
            strings = self._window(start, stop - start, max(int((stop - start).max(initial=0)), 1))
            strings = strings.view(f"S{strings.shape[1]}").ravel()
            empty = stop <= start
            try:
                values = np.where(empty, b"nan", strings).astype(np.float64)
                values[empty] = np.nan
                return values
            except ValueError:
                pass  # some junk: one by one below
        return floats(self._decoded(start, stop, attribute))

    def span_times(self, start: np.ndarray, stop: np.ndarray) -> tuple[pd.DatetimeIndex, set[int]]:
        """``iso_times`` of each span's text; Zulu times of one fixed layout go through numpy."""
        present = stop > start
        if present.any() and self._simple(start, stop):
            length = (stop - start)[present]
            width = int(length[0])
            layout = next((lay for lay in ZULU_LAYOUTS if len(lay) == width), None)
            if layout and (length == width).all():
                window = self._window(start[present], length, width)
                if _matches_layout(window, layout):
                    stamps = np.full(start.size, np.datetime64("NaT"), dtype="datetime64[ns]")
                    zulu_free = np.ascontiguousarray(window[:, :-1]).view(f"S{width - 1}").ravel()
                    try:
                        stamps[present] = zulu_free.astype("datetime64[ns]")
                        return pd.DatetimeIndex(stamps).tz_localize("UTC"), {0}
                    except ValueError:
                        pass  # an impossible date (month 13...): pandas below gives NaT for it
        return iso_times(self._decoded(start, stop))

    def attribute_spans(self, tags: np.ndarray, name: str) -> tuple[np.ndarray, np.ndarray] | None:
        """Byte span of attribute ``name`` on each tag (empty where absent), or None when
        the tags are not simple enough (single quotes, ``=`` or spaces around ``=`` in values).
        """
        start = np.zeros(tags.size, dtype=np.int64)
        stop = np.zeros(tags.size, dtype=np.int64)
        if tags.size == 0:
            return start, stop
        buf = self.buf
        first, last = self.lt[tags], self.gt[tags]
        equals = np.flatnonzero(buf == _EQUALS)
        quotes = np.flatnonzero(buf == _QUOTE)
        apostrophes = np.flatnonzero(buf == _APOS)
        count = lambda marks: np.searchsorted(marks, last) - np.searchsorted(marks, first)  # noqa: E731
        if (count(apostrophes) > 0).any() or (count(quotes) != 2 * count(equals)).any():
            return None
        # Every "=" in these tags now separates an attribute name from a "..." value.
        owner = np.searchsorted(first, equals, side="right") - 1
        inside = (owner >= 0) & (equals < last[np.maximum(owner, 0)])
        equals, owner = equals[inside], owner[inside]
        if (buf[equals + 1] != _QUOTE).any() or (buf[equals - 1] <= _SPACE).any():
            return None
        key = name.encode("ascii")
        is_name = buf[equals - len(key) - 1] <= _SPACE
        for offset, byte in enumerate(key):
            is_name &= buf[equals - len(key) + offset] == byte
        equals, owner = equals[is_name], owner[is_name]
        start[owner] = equals + 2
        stop[owner] = quotes[np.searchsorted(quotes, equals + 2)]
        return start, stop

    def attributes(self, tag: int) -> dict[str, str]:
        """All attributes of one tag (prefixed names kept as written), decoded."""
        raw = self.body[self.lt[tag] + 1 : self.gt[tag]]
        raw = raw[len(raw.split(None, 1)[0]):] if raw.split(None, 1) else b""
        out = {}
        for found in _ATTRIBUTE.finditer(raw.rstrip(b"/")):
            value = found.group(2) if found.group(2) is not None else found.group(3)
            out[found.group(1).decode("utf-8")] = _xml_text(value, attribute=True)
        return out


def _matches_layout(window: np.ndarray, layout: str) -> bool:
    """True when every row of ``window`` follows ``layout`` ('d' = a digit, else that byte)."""
    for column, want in enumerate(layout.encode("ascii")):
        values = window[:, column]
        ok = ((values >= ord("0")) & (values <= ord("9"))) if want == ord("d") else (values == want)
        if not ok.all():
            return False
    return True


def scan_plain(data: bytes, source: str, names: tuple[str, ...]) -> PlainXml | None:
    """The tag table of ``data`` when it is a plain document (see above), else None.

    A plain document that libxml2 rejects goes through ``parse`` here, which raises
    UnreadableFileError with the usual one clear line.
    """
    body, _ = strip_leading(data)
    if not body or not _is_plain(body):
        return None
    if not _checked_by_libxml2(body):
        parse(data, source)  # raises the one-line error (or accepts: the tree walk reads it)
        return None
    doc = PlainXml(body, names)
    return doc if doc.ok else None

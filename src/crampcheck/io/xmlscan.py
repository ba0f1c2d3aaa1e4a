"""Plain-document scan: the fast path for GPX and TCX.

Most activity files are "plain" XML: UTF-8 or ASCII, no DOCTYPE, no comment, no
processing instruction, and no ">" outside tags and CDATA sections. In such a document,
once libxml2 has checked that it is well formed, every "<" outside CDATA opens a tag and
the next ">" closes it, so the tags can be found with numpy over the raw bytes, and texts
and attribute values read column-wise, without one Python object per element. Values
with a reference (&amp;), CDATA or non-ASCII bytes are decoded one by one, as lxml would.
``scan_plain`` returns None for any other document: the reader then walks the lxml tree
(``parse``), which reads them all; tests check that both ways read the same.
"""

from __future__ import annotations

import re

import numpy as np
from lxml import etree

from crampcheck.io.xmlsafe import (
    SECONDS_PER_HOUR,
    SECONDS_PER_MINUTE,
    floats,
    iso_times,
    parse,
    pinned_seconds,
    strip_leading,
)

OPEN, EMPTY = 0, 1  # kinds of start tag: <a> and <a/>
NAME_BYTES = 24  # longest local name the scan can match (compared as three 8-byte words)
MAX_VALUE_BYTES = 64  # longer texts or attribute values are decoded one by one
_LT, _GT, _SLASH, _EQUALS, _QUOTE, _APOS, _COLON, _QUESTION, _BANG, _AMP, _SPACE = b'<>/="\':?!& '
_ASCII_END = 0x80
_PLAIN_ENCODINGS = frozenset({"utf-8", "utf8", "us-ascii", "ascii"})
_DECLARED_ENCODING = re.compile(rb"""encoding\s*=\s*["']([^"']*)["']""")
_ATTRIBUTE = re.compile(rb"""\s*([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REFERENCE = re.compile(r"&(#x[0-9A-Fa-f]+|#[0-9]+|lt|gt|amp|quot|apos);")
_PREDEFINED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
CDATA_OPEN, CDATA_CLOSE = b"<![CDATA[", b"]]>"
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.DOTALL)
# Timestamps that all follow one of these layouts ('d' a digit, '±' a sign) are read by
# numpy directly; any other goes through ``iso_times``.
TIME_LAYOUTS = (
    "dddd-dd-ddTdd:dd:ddZ",
    "dddd-dd-ddTdd:dd:dd.dddZ",
    "dddd-dd-ddTdd:dd:dd±dd:dd",
    "dddd-dd-ddTdd:dd:dd.ddd±dd:dd",
)


def _checked_by_libxml2(body: bytes) -> bool:
    """True when libxml2 finds ``body`` well formed with no error or warning at all.

    The parser builds no tree (a target that ignores every event), so this costs about
    half a tree parse. Same safety settings as ``_parser``.
    """
    parser = etree.XMLParser(
        target=_NoTree(), resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False
    )
    try:
        etree.fromstring(body, parser)
    except etree.XMLSyntaxError:
        return False
    return len(parser.error_log) == 0


Spans = tuple[np.ndarray, np.ndarray]  # (start, stop) byte offsets, one pair per item


class _NoTree:
    """A parser target that ignores every event."""

    def close(self) -> None:
        return None


def _xml_text(raw: bytes, attribute: bool = False) -> str:
    """Raw bytes of a text or attribute value -> the string an XML parser gives."""
    text = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    if attribute:  # attribute-value normalisation: literal whitespace becomes a space
        text = text.replace("\n", " ").replace("\t", " ")
    if "<![CDATA[" in text:  # split: [text, cdata, text, cdata, ..., text]; CDATA is taken as is
        parts = _CDATA.split(text)
        return "".join(part if i % 2 else _unescape(part) for i, part in enumerate(parts))
    return _unescape(text)


def _unescape(text: str) -> str:
    """Resolve the character and predefined entity references of XML text."""
    return _REFERENCE.sub(_resolve_reference, text) if "&" in text else text


def _resolve_reference(match: re.Match) -> str:
    ref = match.group(1)
    if ref.startswith("#x"):
        return chr(int(ref[2:], 16))
    if ref.startswith("#"):
        return chr(int(ref[1:]))
    return _PREDEFINED[ref]


def _positions(buf: np.ndarray, byte: int) -> np.ndarray:
    return np.flatnonzero(buf == byte)


def first_of_runs(keys: np.ndarray) -> np.ndarray:
    """True where a run of equal consecutive ``keys`` starts."""
    out = np.ones(keys.size, dtype=bool)
    out[1:] = keys[1:] != keys[:-1]
    return out


def last_of_runs(keys: np.ndarray) -> np.ndarray:
    """True where a run of equal consecutive ``keys`` ends."""
    out = np.ones(keys.size, dtype=bool)
    out[:-1] = keys[1:] != keys[:-1]
    return out


def _count_in(marks: np.ndarray, start: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """How many of the sorted offsets ``marks`` fall in each span [start, stop)."""
    return np.searchsorted(marks, stop) - np.searchsorted(marks, start)


# _WORD_MASKS[k]: the 8-byte words that keep the first k bytes of a NAME_BYTES key.
_WORD_MASKS = (np.arange(NAME_BYTES) < np.arange(NAME_BYTES + 1)[:, None]).astype(np.uint8) * np.uint8(0xFF)
_WORD_MASKS = np.ascontiguousarray(_WORD_MASKS).view(np.uint64)


class _NameTable:
    """Exact lookup of local names given as zero-padded keys of ``width`` bytes (the longest
    name rounded up to 8-byte words), all at once in numpy: a multiplicative hash narrows each
    key to one candidate, then the words are compared."""

    _MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9], dtype=np.uint64)

    def __init__(self, names: tuple[str, ...]):
        self.width = -(-max(len(name) for name in names) // 8) * 8
        if self.width > NAME_BYTES:
            raise ValueError(f"local names longer than {NAME_BYTES} bytes cannot be matched")
        keys = np.zeros((len(names), self.width), dtype=np.uint8)
        for row, name in enumerate(names):
            keys[row, : len(name)] = np.frombuffer(name.encode("ascii"), dtype=np.uint8)
        words = keys.view(np.uint64)
        hashes = self._hash(words)
        if len(set(hashes.tolist())) != len(names):
            raise ValueError("local names must be distinct (and their hashes too)")
        self.order = np.argsort(hashes)
        self.hashes, self.words = hashes[self.order], words[self.order]
        self.lengths = np.array([len(names[i]) for i in self.order])

    @classmethod
    def _hash(cls, words: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):
            hashes = words[:, 0] * cls._MIX[0]
            for column in range(1, words.shape[1]):
                hashes += words[:, column] * cls._MIX[column]
        return hashes

    def find(self, words: np.ndarray, length: np.ndarray) -> np.ndarray:
        """Index in ``names`` of each key (-1 when it is none of them)."""
        at = np.minimum(np.searchsorted(self.hashes, self._hash(words)), self.hashes.size - 1)
        same = self.lengths[at] == length
        for column in range(words.shape[1]):
            same &= self.words[at, column] == words[:, column]
        return np.where(same, self.order[at], -1)


class PlainXml:
    """The start tags of a plain, well-formed XML document as numpy columns, one entry per
    element in document order (entry 0 is the root element).

    ``lt``/``gt``: byte offsets of the tag's ``<`` and ``>``; ``kind``: OPEN or EMPTY;
    ``depth``: 1 for the root; ``name``: index of the local name in ``names``, -1 for
    others; ``text_stop``: where the element's leading text ends (the next tag's ``<``).
    Build it with ``scan_plain``.
    """

    def __init__(self, body: bytes, lt: np.ndarray, gt: np.ndarray, names: tuple[str, ...], cdata: np.ndarray):
        self.body = body
        self._cdata = cdata  # where CDATA sections start: spans over them are decoded one by one
        # Padded so that a fixed-width window may run past the end; row i of ``_rows`` is
        # the MAX_VALUE_BYTES bytes from offset i (a strided view, no copy).
        self.buf = np.frombuffer(body + bytes(MAX_VALUE_BYTES), dtype=np.uint8)
        self._rows = np.lib.stride_tricks.as_strided(self.buf, shape=(len(body), MAX_VALUE_BYTES), strides=(1, 1))
        is_close = self.buf[lt + 1] == _SLASH
        is_empty = self.buf[gt - 1] == _SLASH
        level = np.cumsum(1 - 2 * is_close.astype(np.int64) - is_empty)  # elements open after each tag
        starts = np.flatnonzero(~is_close)
        self.lt, self.gt = lt[starts], gt[starts]
        self.kind = np.where(is_empty[starts], EMPTY, OPEN)
        self.depth = level[starts] + is_empty[starts]
        self.text_stop = np.where(is_empty[starts], self.gt + 1, lt[np.minimum(starts + 1, lt.size - 1)])
        self.name = self._name_codes(names)
        self._cache: dict[str, np.ndarray] = {}

    def _marks(self, what: str) -> np.ndarray:
        """Sorted offsets of one kind of byte, found once: "special" ('&', non-ASCII or the
        start of a CDATA section), or the byte ``what`` itself."""
        if what not in self._cache:
            buf = self.buf[: len(self.body)]
            if what == "special":
                if self.body.isascii() and b"&" not in self.body:
                    found = np.empty(0, dtype=np.int64)
                else:
                    found = np.flatnonzero((buf == _AMP) | (buf >= _ASCII_END))
                found = np.union1d(found, self._cdata)
            else:
                found = _positions(buf, ord(what))
            self._cache[what] = found
        return self._cache[what]

    def _name_codes(self, names: tuple[str, ...]) -> np.ndarray:
        """Code of each tag's local name (prefix dropped) in ``names``; -1 for others."""
        start = self.lt + 1
        end = self.gt - (self.kind == EMPTY)  # a name without attributes ends at ">" or "/>"
        # The first white space or colon after "<" either ends the name, or (a colon inside
        # it) ends the prefix; a QName holds at most one colon (libxml2 checked).
        buf = self.buf[: len(self.body)]
        marks = np.flatnonzero((buf <= _SPACE) | (buf == _COLON))
        marks = np.append(marks, len(self.body))  # a sentinel past the end
        at = np.searchsorted(marks, start)
        first = marks[at]
        prefixed = (first < end) & (buf[np.minimum(first, buf.size - 1)] == _COLON)
        start = np.where(prefixed, first + 1, start)
        after = np.where(prefixed, marks[np.minimum(at + 1, marks.size - 1)], first)
        end = np.minimum(end, after)
        length = end - start
        table = _NameTable(names)
        words = np.ascontiguousarray(self._rows[start, : table.width]).view(np.uint64)
        words &= _WORD_MASKS[np.minimum(length, table.width), : table.width // 8]
        return table.find(words, length)

    def last_open(self, depth: int) -> np.ndarray:
        """For each tag, the index of the last OPEN tag at ``depth`` up to it (-1 if none).

        For a tag at ``depth + 1`` that is its parent; for deeper tags, its ancestor there.
        """
        mask = (self.kind == OPEN) & (self.depth == depth)
        return np.maximum.accumulate(np.where(mask, np.arange(mask.size), -1))

    def text_span(self, tags: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Byte span of each element's leading text (lxml's ``.text``); empty for ``<a/>``."""
        return self.gt[tags] + 1, self.text_stop[tags]

    def texts(self, tags: np.ndarray) -> list[str | None]:
        """Each tag's text as lxml gives it (None when empty), decoded one by one."""
        return self._decoded(*self.text_span(tags))

    def _decoded(self, start: np.ndarray, stop: np.ndarray, attribute: bool = False) -> list[str | None]:
        body = self.body
        return [_xml_text(body[a:b], attribute) if b > a else None for a, b in zip(start.tolist(), stop.tolist())]

    def _window(self, start: np.ndarray, stop: np.ndarray) -> np.ndarray | None:
        """(n, width) bytes of each span, zero-padded; None when a span is too long or holds
        a reference (&...;) or a non-ASCII byte (those are decoded one by one)."""
        length = stop - start
        width = int(length.max(initial=0))
        if width > MAX_VALUE_BYTES or _count_in(self._marks("special"), start, stop).any():
            return None
        window = np.ascontiguousarray(self._rows[start, : max(width, len("nan"))])
        window[np.arange(window.shape[1]) >= length[:, None]] = 0
        return window

    def span_floats(self, start: np.ndarray, stop: np.ndarray, attribute: bool = False) -> np.ndarray:
        """Python ``float()`` of each span's text (NaN when empty or junk), read in bulk."""
        window = self._window(start, stop)
        if window is not None:
            window[stop <= start, :3] = np.frombuffer(b"nan", dtype=np.uint8)
            try:
                return window.view(f"S{window.shape[1]}").ravel().astype(np.float64)
            except ValueError:
                pass  # some junk: one by one below
        return floats(self._decoded(start, stop, attribute))

    def span_times(self, start: np.ndarray, stop: np.ndarray) -> tuple[np.ndarray, set[int]]:
        """``iso_times`` of each span's text; times that all follow one TIME_LAYOUTS layout
        are read by numpy directly."""
        present = stop > start
        length = (stop - start)[present]
        layout = next((lay for lay in TIME_LAYOUTS if length.size and len(lay) == length[0]), None)
        if layout and (length == len(layout)).all():
            window = self._window(start[present], stop[present])
            if window is not None and _matches_layout(window, layout):
                local_len = layout.index("Z") if layout.endswith("Z") else len(layout) - len("+hh:mm")
                local = np.ascontiguousarray(window[:, :local_len]).view(f"S{local_len}").ravel()
                offset_s = _zone_offsets_s(window[:, local_len:])
                try:
                    seconds = pinned_seconds(local.astype("datetime64[us]"))  # us: no wrap past 2261
                    stamps = seconds.astype("datetime64[ns]") - offset_s.astype("timedelta64[s]")
                except ValueError:
                    pass  # an impossible date (month 13...): iso_times below gives NaT for it
                else:
                    utc = np.full(start.size, np.datetime64("NaT"), dtype="datetime64[ns]")
                    utc[present] = stamps
                    return utc, set(offset_s.tolist())
        return iso_times(self._decoded(start, stop))

    def attribute_spans(self, tags: np.ndarray, names: tuple[str, ...]) -> dict[str, Spans] | None:
        """Byte span of each attribute in ``names`` on each tag (empty where absent), or None
        when the tags are not simple: every value in double quotes, no "=" in values and no
        space around "=" (the tree walk reads the others).
        """
        empty = np.zeros(tags.size, dtype=np.int64)
        if tags.size == 0:
            return {name: (empty, empty) for name in names}
        first, last = self.lt[tags], self.gt[tags]
        equals, quotes = self._marks("="), self._marks('"')
        if b"'" in self.body and _count_in(self._marks("'"), first, last).any():
            return None
        if (_count_in(quotes, first, last) != 2 * _count_in(equals, first, last)).any():
            return None
        # Now every "=" in these tags separates an attribute name from its "value".
        owner = np.searchsorted(first, equals, side="right") - 1
        inside = (owner >= 0) & (equals < last[np.maximum(owner, 0)])
        equals, owner = equals[inside], owner[inside]
        buf = self.buf
        if (buf[equals + 1] != _QUOTE).any() or (buf[equals - 1] <= _SPACE).any():
            return None
        spans = {}
        for name in names:
            key = name.encode("ascii")
            is_name = buf[equals - len(key) - 1] <= _SPACE
            for offset, byte in enumerate(key):
                is_name &= buf[equals - len(key) + offset] == byte
            at, row = equals[is_name], owner[is_name]
            start = np.zeros(tags.size, dtype=np.int64)
            stop = np.zeros(tags.size, dtype=np.int64)
            start[row] = at + 2
            stop[row] = quotes[np.searchsorted(quotes, at + 2)]
            spans[name] = (start, stop)
        return spans

    def attributes(self, tag: int) -> dict[str, str]:
        """All attributes of one tag (names as written, with any prefix), decoded."""
        inner = self.body[self.lt[tag] + 1 : self.gt[tag]].rstrip(b"/")
        parts = inner.split(None, 1)
        out = {}
        for found in _ATTRIBUTE.finditer(parts[1] if len(parts) > 1 else b""):
            value = found.group(2) if found.group(2) is not None else found.group(3)
            out[found.group(1).decode("utf-8")] = _xml_text(value, attribute=True)
        return out


def _matches_layout(window: np.ndarray, layout: str) -> bool:
    """True when every row of ``window`` follows ``layout``: 'd' a digit, '±' a sign,
    any other character itself."""
    low = np.array([ord("0") if c == "d" else ord("+") if c == "±" else ord(c) for c in layout], dtype=np.uint8)
    high = np.array([ord("9") if c == "d" else ord("-") if c == "±" else ord(c) for c in layout], dtype=np.uint8)
    part = window[:, : len(layout)]
    if not ((part >= low) & (part <= high)).all():
        return False
    signs = [column for column, c in enumerate(layout) if c == "±"]
    return not signs or bool((part[:, signs] != ord(",")).all())  # "," sits between "+" and "-"


def _zone_offsets_s(zone: np.ndarray) -> np.ndarray:
    """UTC offset (s) of each row of zone bytes: "Z" or "+hh:mm" / "-hh:mm"."""
    if zone.shape[1] == 1:  # "Z"
        return np.zeros(zone.shape[0], dtype=np.int64)
    digits = zone.astype(np.int64) - ord("0")
    sign = np.where(zone[:, 0] == ord("-"), -1, 1)
    hours, minutes = digits[:, 1] * 10 + digits[:, 2], digits[:, 4] * 10 + digits[:, 5]
    return sign * (hours * SECONDS_PER_HOUR + minutes * SECONDS_PER_MINUTE)


def _cdata_starts_ends(body: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Offsets where each CDATA section starts (its "<") and ends (after its "]]>")."""
    starts, ends = [], []
    at = body.find(CDATA_OPEN)
    while at >= 0:
        end = body.find(CDATA_CLOSE, at)
        end = len(body) if end < 0 else end + len(CDATA_CLOSE)
        starts.append(at)
        ends.append(end)
        at = body.find(CDATA_OPEN, end)
    return np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64)


def _within(offsets: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """True for each offset inside one of the sorted, disjoint spans [start, end)."""
    span = np.searchsorted(starts, offsets, side="right") - 1
    return (span >= 0) & (offsets < ends[np.maximum(span, 0)])


def scan_plain(data: bytes, source: str, names: tuple[str, ...]) -> PlainXml | None:
    """The tag table of ``data`` when it is a plain document (see above), else None.

    A plain document that libxml2 rejects goes through ``parse`` here, which raises
    UnreadableFileError with the usual one clear line.
    """
    body, _ = strip_leading(data)
    if len(body) < 2 or body[:1] != b"<" or body[1:2] == b"\x00":  # empty, UTF-16, EBCDIC...
        return None
    buf = np.frombuffer(body, dtype=np.uint8)
    lt, gt = _positions(buf, _LT), _positions(buf, _GT)
    cdata = _cdata_starts_ends(body)
    if cdata[0].size:  # CDATA sections are text: their "<" and ">" are no tags
        lt, gt = lt[~_within(lt, *cdata)], gt[~_within(gt, *cdata)]
    if lt.size != gt.size or not ((lt < gt).all() and (gt[:-1] < lt[1:]).all()):
        return None  # a ">" outside a tag (or malformed)
    second = buf[lt + 1]
    if (second == _BANG).any() or (second[1:] == _QUESTION).any():
        return None  # DOCTYPE, comment or processing instruction
    if second[0] == _QUESTION:
        found = _DECLARED_ENCODING.search(body[: gt[0]])
        if found and found.group(1).decode("ascii", "replace").lower() not in _PLAIN_ENCODINGS:
            return None
    if not _checked_by_libxml2(body):
        parse(data, source)  # raises the one-line error (or accepts: the tree walk reads it)
        return None
    if second[0] == _QUESTION:  # the XML declaration is no element
        lt, gt = lt[1:], gt[1:]
    return PlainXml(body, lt, gt, names, cdata[0])

"""What a file holds, from its content (never from its name): gzip or not, FIT, GPX or TCX.

Also maps free-text sport labels (GPX ``trk/type``, TCX ``Sport``) onto crampcheck's
normalized sport names.
"""

from __future__ import annotations

import re
import zlib
from pathlib import PurePath

from crampcheck.errors import UnreadableFileError

GZIP_MAGIC = b"\x1f\x8b"
MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024  # refuse gzip bombs: no activity file is near this...
MAX_GZIP_RATIO = 200  # ...nor expands more than this from its gzip (FIT ~5:1, GPX ~20:1)...
GZIP_RATIO_FLOOR_BYTES = 4 * 1024 * 1024  # ...once past this size (tiny files compress oddly)
_CHUNK_BYTES = 1024 * 1024

FIT_SIGNATURE = b".FIT"  # bytes 8..12 of every FIT file header
FIT_SIGNATURE_AT = 8
SNIFF_BYTES = 64 * 1024  # how far into an XML file the root element may start

# First tag that is not a declaration, comment, processing instruction or DOCTYPE.
_XML_NOISE = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)", re.S | re.I)
_ROOT_TAG = re.compile(rb"\s*<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")
_HTML_HINT = re.compile(rb"<!DOCTYPE\s+html|<html[\s>]", re.I)

# Root element -> format. <Activities> is a TCX body whose root element was lost (seen in
# real files); tcx.read_tcx accepts it too.
_XML_ROOTS = {"gpx": "gpx", "TrainingCenterDatabase": "tcx", "Activities": "tcx"}
_FORMAT_NAMES = {"gpx": "GPX", "tcx": "TCX", "fit": "FIT", "gz": "gzip"}


def _expected(source: str) -> str:
    """'a GPX file' from 'run.gpx' (or 'an activity file' when the name does not say)."""
    suffixes = [s.lstrip(".").lower() for s in PurePath(source or "").suffixes]
    for suffix in reversed(suffixes):
        if suffix in _FORMAT_NAMES and suffix != "gz":
            return f"a {_FORMAT_NAMES[suffix]} file"
    return "an activity file (FIT, GPX or TCX)"


def decompress(data: bytes, source: str) -> bytes:
    """``data`` gunzipped when it starts with the gzip magic (whatever the name), else as is.

    Refuses output larger than MAX_DECOMPRESSED_BYTES, or than MAX_GZIP_RATIO times the input
    once past GZIP_RATIO_FLOOR_BYTES (a gzip bomb, also inside a zip); a corrupt or truncated stream is an
    UnreadableFileError. Concatenated gzip members are all read.
    """
    if not data.startswith(GZIP_MAGIC):
        return data
    out: list[bytes] = []
    size = 0
    pending = data
    limit = min(MAX_DECOMPRESSED_BYTES, max(GZIP_RATIO_FLOOR_BYTES, len(data) * MAX_GZIP_RATIO))
    try:
        while pending.startswith(GZIP_MAGIC):
            inflater = zlib.decompressobj(wbits=31)  # 31: gzip header and trailer
            chunk = inflater.decompress(pending, _CHUNK_BYTES)
            while True:
                size += len(chunk)
                if size > limit:
                    why = (f"beyond {MAX_DECOMPRESSED_BYTES // 2**20} MB" if limit == MAX_DECOMPRESSED_BYTES
                           else f"more than {MAX_GZIP_RATIO} times its compressed size")
                    raise UnreadableFileError(f"gzip data expands {why}: refused (gzip bomb?)", source)
                out.append(chunk)
                if inflater.eof or not inflater.unconsumed_tail:
                    break
                chunk = inflater.decompress(inflater.unconsumed_tail, _CHUNK_BYTES)
            if not inflater.eof:
                raise UnreadableFileError("truncated gzip stream", source)
            pending = inflater.unused_data
    except zlib.error as exc:
        raise UnreadableFileError(f"corrupt gzip stream ({exc})", source) from None
    return b"".join(out)


def sniff(data: bytes, source: str = "") -> str:
    """``"fit"``, ``"gpx"`` or ``"tcx"`` from the content of (already gunzipped) ``data``.

    FIT: ``.FIT`` at bytes 8..12. XML: the root element's local name, after an optional BOM,
    whitespace, XML declaration, comments and DOCTYPE. Anything else (empty, HTML, other
    XML, binary) raises UnreadableFileError naming what was found.
    """
    if not data:
        raise UnreadableFileError(f"empty file, not {_expected(source)}", source)
    if data[FIT_SIGNATURE_AT:FIT_SIGNATURE_AT + len(FIT_SIGNATURE)] == FIT_SIGNATURE:
        return "fit"
    head = data[:SNIFF_BYTES]
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    elif head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    pos = 0
    while match := _XML_NOISE.match(head, pos):
        if match.end() == pos:
            break
        pos = match.end()
    root = _ROOT_TAG.match(head, pos)
    if root:
        name = root.group(2).decode("ascii")
        if name in _XML_ROOTS:
            return _XML_ROOTS[name]
        if name.lower() == "html":
            raise UnreadableFileError(f"an HTML page, not {_expected(source)}", source)
        raise UnreadableFileError(f"XML with root element <{name}>, not {_expected(source)}", source)
    if _HTML_HINT.search(head):
        raise UnreadableFileError(f"an HTML page, not {_expected(source)}", source)
    if not head.strip():
        raise UnreadableFileError(f"blank file, not {_expected(source)}", source)
    raise UnreadableFileError(f"unknown content, not {_expected(source)}", source)

"""Parse untrusted XML (GPX, TCX) safely with lxml.

The parser never expands entities, never loads a DTD, never touches the network, and
refuses any document whose DTD declares entities (billion laughs, XXE). Malformed XML
becomes one clear line: ``malformed XML at line 17: <what libxml2 says>``.
"""

from __future__ import annotations

import re

from lxml import etree

from crampcheck.errors import UnreadableFileError

UTF8_BOM = b"\xef\xbb\xbf"

_LOCATION_SUFFIX = re.compile(r",\s*line \d+,\s*column \d+\s*$")


def _parser() -> etree.XMLParser:
    """A fresh lxml parser with every external or expanding feature off."""
    return etree.XMLParser(
        resolve_entities=False,  # keep &name; as a node, never substitute it
        load_dtd=False,  # never read an external DTD
        no_network=True,  # never fetch anything
        dtd_validation=False,
        huge_tree=False,  # keep libxml2's limits on depth and text size
        collect_ids=False,  # xml:id lookups are never used: a faster parse
        remove_blank_text=True,  # fewer nodes: faster to parse and walk
        remove_comments=True,
        remove_pis=True,
    )


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
    try:
        root = etree.fromstring(body, _parser())
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
        raise UnreadableFileError(
            "XML declares entities in a DTD (refused: activity files never need them)", source
        )


def local_name(tag: str) -> str:
    """``{namespace}name`` -> ``name``."""
    return tag[tag.rfind("}") + 1:]

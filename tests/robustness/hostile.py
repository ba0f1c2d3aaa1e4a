"""Hostile inputs, generated here (never downloaded): shared by tests/robustness and benchmarks/robustness.py."""

from __future__ import annotations

import gzip
import io
import json
import os
import sqlite3
import struct
import zipfile
import zlib
from datetime import timedelta
from pathlib import Path

from tests.helpers.history import T0, fit_run
from tests.history.exports import strava_csv

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
ESCAPES = "\x1b[2J\x1b]0;PWNED\x07"  # clear the screen, set the window title
C1_CSI = "\x9b31m"  # the one-byte CSI of C1: some terminals act on it
FORMULAS = ("=HYPERLINK(\"http://evil\",\"x\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tTAB", "\rCR")
MARKDOWN_TRAPS = ("<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "![i](http://evil/x.png)",
                  "a | b | c", "line one\n| forged | row |")


def _lfh(name: bytes, crc: int, csize: int, usize: int) -> bytes:
    return struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, csize, usize, len(name), 0) + name


def _cdh(name: bytes, crc: int, csize: int, usize: int, offset: int) -> bytes:
    return struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc, csize, usize,
                       len(name), 0, 0, 0, 0, 0, offset) + name


def overlap_bomb(n: int = 50, kernel_bytes: int = 1 << 20, suffix: str = ".fit") -> bytes:
    """An overlapping-entry zip bomb: every entry's deflate stream quotes the next entry's local
    header in a stored block and runs on into one shared compressed kernel, so ``n`` entries of
    about ``kernel_bytes`` each share one small kernel (each entry alone looks ordinary)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    kernel = packer.compress(b"\x00" * kernel_bytes) + packer.flush()
    names = [f"run{i:05d}{suffix}".encode() for i in range(n)]
    headers: list[bytes] = [b""] * n
    csize, usize = len(kernel), kernel_bytes
    prefix = b""  # the quoted headers after entry i, in order
    for i in range(n - 1, -1, -1):
        crc = zlib.crc32(b"\x00" * kernel_bytes, zlib.crc32(prefix))
        headers[i] = _lfh(names[i], crc, csize, usize)
        prefix = headers[i] + prefix
        csize, usize = 5 + len(headers[i]) + csize, len(headers[i]) + usize  # as seen by entry i - 1
    body, offsets = io.BytesIO(), []
    for i, header in enumerate(headers):
        offsets.append(body.tell())
        body.write(header)
        if i + 1 < n:
            size = len(headers[i + 1])
            body.write(b"\x00" + struct.pack("<HH", size, size ^ 0xFFFF))  # stored block quoting the next header
    body.write(kernel)
    central = b"".join(
        _cdh(names[i], *struct.unpack("<III", headers[i][14:26]), offsets[i]) for i in range(n))
    start = body.tell()
    body.write(central)
    body.write(struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, n, n, len(central), start, 0))
    return body.getvalue()


def gzip_bomb(expanded_bytes: int = 64 << 20) -> bytes:
    return gzip.compress(b"\x00" * expanded_bytes, compresslevel=9)


def zip_of(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def strava_export(names: list[str]) -> bytes:
    """A Strava bulk export zip whose activities carry ``names`` (one synthetic run a day each)."""
    rows = [{"id": i, "name": name, "file": f"activities/{i}.fit"} for i, name in enumerate(names)]
    members = {f"activities/{i}.fit": fit_run(T0 + timedelta(days=i), minutes=20) for i in range(len(names))}
    return zip_of({"activities.csv": strava_csv(rows), **members})


def garmin_summary_hostile() -> bytes:
    """A summarizedActivities.json whose entries hold every malformed field seen in the wild."""
    entries = [
        {"activityId": 1, "name": 12345, "startTimeGmt": 1e20},
        {"activityId": 2, "name": {"x": 1}, "startTimeGmt": 10 ** 30},
        {"activityId": 3, "name": ["n"], "activityType": {"typeKey": 5}, "startTimeGmt": "not a date"},
        {"activityId": 4, "name": "fine", "startTimeGmt": -1e300},
    ]
    text = json.dumps([{"summarizedActivitiesExport": entries}])
    return text.replace("1e+20", "1e400", 1).encode()  # 1e400: JSON's infinity for Python


def deep_json(depth: int = 100_000) -> bytes:
    return b"[" * depth + b"]" * depth


def foreign_sqlite(path: Path, meta_empty: bool = False) -> None:
    """A SQLite file of someone else: their own table, or an empty ``meta`` beside a filled ``outcomes``."""
    with sqlite3.connect(path) as db:
        if meta_empty:
            db.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
            db.execute("CREATE TABLE outcomes (precious TEXT)")
            db.execute("INSERT INTO outcomes VALUES ('do not lose me')")
        else:
            db.execute("CREATE TABLE precious (x)")
            db.execute("INSERT INTO precious VALUES (42)")
    os.sync()


def corrupt_mid_file(path: Path) -> None:
    """Garbage over the middle pages of a SQLite file, the header left intact."""
    data = bytearray(path.read_bytes())
    mid = max(len(data) // 2, 4096)
    data[mid:mid + 4096] = b"\xde\xad\xbe\xef" * 1024
    path.write_bytes(bytes(data))


def fit_with_hostile_names(fit: bytes) -> bytes:
    """A synthetic FIT whose device ``product_name`` and sport ``name`` carry terminal escapes
    (same lengths, so every definition still holds), with its file CRC made right again."""
    from crampcheck.synth.fitcrc import crc16

    body = fit[:-2]
    for plain, evil in ((b"crampcheck synth", ESCAPES.encode() + b"ab"), (b"Easy 10K", b"=\x1b[2J\x07K")):
        evil = evil[:len(plain)].ljust(len(plain), b"x")
        body = body.replace(plain, evil)
    header_size = body[0]
    return body + crc16(body[header_size:], crc16(body[:header_size])).to_bytes(2, "little")


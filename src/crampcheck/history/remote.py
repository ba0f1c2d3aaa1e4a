"""Inputs anywhere fsspec reaches (``s3://``, ``gs://``, ``file://``...), walked like local ones.

A URL is a folder (every file under it), a zip export or a single file. The same rules as for
local inputs apply: activity names and export metadata are recognized the same way, zips are
read in place through ``sources._walk_zip`` with the same ``ZipLimits``, and a file larger
than ``max_file_bytes`` is refused before a byte of it is fetched. Nothing is written.

fsspec (and its protocol package: s3fs for ``s3://``, gcsfs for ``gs://``) is imported only
when a URL is given; credentials and endpoints come from the usual places (``AWS_*``
variables, ``FSSPEC_S3_ENDPOINT_URL``, fsspec's config files).
"""

from __future__ import annotations

import functools
import posixpath
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from crampcheck.errors import ConfigError, UnreadableFileError
from crampcheck.history.sources import (
    MIB,
    ExportIndex,
    Source,
    ZipLimits,
    _Budget,
    _file_loader,
    _metadata_kind,
    _read_metadata,
    _walk_zip,
    is_activity_name,
    is_url,
    metadata_first,
)

INSTALL_HINT = 'reading URLs needs fsspec and its protocol package: pip install "crampcheck[dask]" (s3fs), or gcsfs for gs://'
STAMP_KEYS = ("ETag", "etag", "md5Hash", "LastModified", "mtime", "updated", "created")  # first one present


def _fs(url: str) -> tuple[Any, str]:
    """The fsspec file system of ``url`` and the path inside it."""
    try:
        import fsspec
    except ImportError:
        raise ConfigError(INSTALL_HINT, url) from None
    try:
        return fsspec.core.url_to_fs(url)
    except ImportError as exc:  # the protocol's package (s3fs, gcsfs...) is missing
        raise ConfigError(f"{exc}; {INSTALL_HINT}", url) from None
    except ValueError as exc:
        raise ConfigError(f"not a usable URL ({exc})", url) from None


def check_url(url: str) -> None:
    """Raise a one-line error unless ``url`` names something that exists."""
    fs, path = _fs(url)
    try:
        found = fs.exists(path)
    except Exception as exc:  # network, credentials, bucket permissions: one line, not a traceback
        raise UnreadableFileError(f"cannot reach ({type(exc).__name__}: {exc})", url) from None
    if not found:
        raise UnreadableFileError("no such file or folder", url)


def _stamp(info: dict[str, Any]) -> str:
    for key in STAMP_KEYS:
        if info.get(key) not in (None, ""):
            return str(info[key])
    return ""


def _read(fs: Any, path: str, limit: int, label: str) -> bytes:
    try:
        with fs.open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except Exception as exc:  # fsspec backends raise their own errors: one line each
        raise UnreadableFileError(f"cannot read ({type(exc).__name__}: {exc})", label) from None
    if len(data) > limit:
        raise UnreadableFileError(f"file larger than {limit // MIB} MB", label)
    return data


def read_location(location: str, limit: int, label: str) -> bytes:
    """The bytes of a ``Source.location`` (a local path or a URL), at most ``limit``: what a
    Dask worker calls to read a file where it lies."""
    if is_url(location):
        fs, path = _fs(location)
        return _read(fs, path, limit, label)
    return _file_loader(Path(location), limit, label)()


def _loader(fs: Any, path: str, limit: int, label: str) -> Callable[[], bytes]:
    return functools.partial(_read, fs, path, limit, label)


def _file(fs: Any, path: str, info: dict[str, Any], label: str, container: str, relpath: str,
          limits: ZipLimits) -> Source:
    size, key = int(info.get("size") or 0), fs.unstrip_protocol(path)
    if size > limits.max_file_bytes:
        return Source(label, key, size, _stamp(info), container, relpath, None,
                      f"file larger than {limits.max_file_bytes // MIB} MB")
    return Source(label, key, size, _stamp(info), container, relpath,
                  _loader(fs, path, limits.max_file_bytes, label), location=key)


def _zip(fs: Any, path: str, info: dict[str, Any], label: str, container: str, relpath: str,
         limits: ZipLimits, index: ExportIndex) -> Iterator[Source]:
    key = fs.unstrip_protocol(path)
    try:
        fh = fs.open(path, "rb")
        zf = zipfile.ZipFile(fh)
    except Exception as exc:  # not a zip, or not readable
        yield Source(label, key, int(info.get("size") or 0), _stamp(info), container, relpath, None,
                     f"not a readable zip ({exc})")
        return
    with fh, zf:
        yield from _walk_zip(zf, label, key, 1, limits, _Budget(limits.max_total_bytes), index)


def list_children(url: str) -> list[tuple[str, str, bool]]:
    """(name, URL, is_folder) of the entries of a folder URL, by name (a team's athletes)."""
    fs, root = _fs(url)
    try:
        entries = fs.ls(root, detail=True)
    except Exception as exc:
        raise UnreadableFileError(f"cannot list ({type(exc).__name__}: {exc})", url) from None
    out = []
    for info in entries:
        name = posixpath.basename(str(info["name"]).rstrip("/"))
        if name:
            out.append((name, f"{url.rstrip('/')}/{name}", info.get("type") == "directory"))
    return sorted(out)


def walk_url(url: str, limits: ZipLimits, index: ExportIndex) -> Iterator[Source]:
    """The sources under ``url`` (a folder, a zip or one file), in name order after the export
    metadata (``metadata_first``)."""
    fs, root = _fs(url)
    try:
        is_dir = fs.isdir(root)
        entries = fs.find(root, detail=True) if is_dir else {root: fs.info(root)}
    except Exception as exc:
        raise UnreadableFileError(f"cannot list ({type(exc).__name__}: {exc})", url) from None
    label_root = url.rstrip("/")
    container = fs.unstrip_protocol(root) if is_dir else fs.unstrip_protocol(posixpath.dirname(root.rstrip("/")))
    for path in sorted(entries, key=metadata_first):
        info = entries[path]
        if info.get("type") == "directory":
            continue
        relpath = posixpath.relpath(path, root.rstrip("/")) if is_dir else posixpath.basename(path)
        label = f"{label_root}/{relpath}" if is_dir else url
        meta_kind = _metadata_kind(relpath)
        if is_dir and meta_kind:
            try:
                _read_metadata(meta_kind, _read(fs, path, limits.max_file_bytes, label), container, relpath, label, index)
            except UnreadableFileError as exc:
                index.problems.append((label, exc.message))
        elif relpath.lower().endswith(".zip"):
            yield from _zip(fs, path, info, label, container, relpath, limits, index)
        elif not is_dir or is_activity_name(relpath):  # a single file named by the user: whatever its suffix
            yield _file(fs, path, info, label, container, relpath, limits)

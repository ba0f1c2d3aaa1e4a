"""Errors a user can cause (bad files, bad paths, bad config).

Each carries the file it is about and prints as one line: ``file: what is wrong``.
The CLI turns them into a one-line message and a non-zero exit, never a traceback.
"""

from __future__ import annotations


class CrampcheckError(Exception):
    """Base class: a problem with the user's input, reported as one line."""

    def __init__(self, message: str, path: str | None = None, offset: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.offset = offset  # byte offset in the file, when known

    def __str__(self) -> str:
        where = f" (at byte {self.offset})" if self.offset is not None else ""
        return f"{self.path}: {self.message}{where}" if self.path else f"{self.message}{where}"


class UnreadableFileError(CrampcheckError):
    """The file is missing, a directory, empty, corrupt, truncated or of an unknown format."""


class NoActivityDataError(CrampcheckError):
    """The file is readable but holds nothing to analyze (no records, no time, no distance)."""


class NotAnActivityError(CrampcheckError):
    """A FIT file that is not an activity (monitoring, sleep, settings, course, workout...)."""


class ConfigError(CrampcheckError):
    """The user's config file or options are invalid."""

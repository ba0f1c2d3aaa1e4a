"""Where the test inputs live: the samples, the small edge-case files, the real corpus."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SAMPLES = PROJECT_ROOT / "samples"  # synthetic runs with known truth (samples/README.md)
TEST_DATA = PROJECT_ROOT / "tests" / "data"  # small hand-made edge cases
# Real public files beside the project (never copied into it); CRAMPCHECK_REAL_DIR points
# elsewhere (a worktree not beside ../shared, for example).
REAL_DIR = Path(os.environ.get("CRAMPCHECK_REAL_DIR") or PROJECT_ROOT / ".." / "shared" / "data" / "real").resolve()


def real_files(kind: str, pattern: str = "*") -> list[Path]:
    """Files under the real corpus' <kind> folder, or [] when it is absent."""
    folder = REAL_DIR / kind
    return sorted(p for p in folder.glob(pattern) if p.is_file()) if folder.is_dir() else []

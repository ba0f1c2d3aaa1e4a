"""Regenerate samples/ (the same as ``python -m crampcheck.synth samples/``)."""

from __future__ import annotations

import sys
from pathlib import Path

from crampcheck.synth.__main__ import main

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:] or [str(Path(__file__).resolve().parents[1] / "samples")]))

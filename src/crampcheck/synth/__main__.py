"""``python -m crampcheck.synth [FOLDER]``: (re)write the sample files (default: samples/)."""

from __future__ import annotations

import sys

from crampcheck.synth.samples import make_samples

USAGE = "usage: python -m crampcheck.synth [FOLDER]  (re)write the sample files into FOLDER (default: samples)"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1 or any(a.startswith("-") for a in args):
        print(USAGE, file=sys.stderr if not {"-h", "--help"} & set(args) else sys.stdout)
        return 0 if {"-h", "--help"} & set(args) else 2
    for path in make_samples(args[0] if args else "samples"):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

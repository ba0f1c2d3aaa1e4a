"""Property: the FIT and XML readers give a clear error or a valid Activity, never anything else.

Hypothesis mutates the sample files (and real files when ../shared/data/real is present):
bytes overwritten, runs of bytes deleted or duplicated, the file cut short; for FIT, half the
cases get their CRCs and data size made right again, so the decoder itself is fuzzed. The normal run
tries CRAMPCHECK_FUZZ_EXAMPLES examples per format (default 25); set it to e.g. 2000 for the
long mode (README, "Robustness").
"""

from __future__ import annotations

import os
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crampcheck.errors import CrampcheckError
from crampcheck.io import read
from crampcheck.schema import Activity
from tests.conftest import REAL_DIR
from tests.robustness.conftest import SAMPLES

EXAMPLES = int(os.environ.get("CRAMPCHECK_FUZZ_EXAMPLES", "25"))
MAX_REAL_BYTES = 400_000  # mutate real files up to this size (the fitparse fallback is slow on big ones)


def _seeds(suffix: str) -> list[tuple[str, bytes]]:
    files = sorted(SAMPLES.glob(f"*{suffix}"))
    if REAL_DIR.is_dir():
        files += sorted(p for p in REAL_DIR.rglob(f"*{suffix}") if p.stat().st_size <= MAX_REAL_BYTES)[:20]
    return [(p.name, p.read_bytes()) for p in files]


@st.composite
def mutated(draw, seeds: list[tuple[str, bytes]]) -> tuple[str, bytes]:
    name, data = draw(st.sampled_from(seeds))
    buf = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        if not buf:
            break
        at = draw(st.integers(0, len(buf) - 1))
        kind = draw(st.sampled_from(["byte", "delete", "duplicate", "truncate", "xml"]))
        if kind == "byte":
            buf[at] = draw(st.integers(0, 255))
        elif kind == "delete":
            del buf[at:at + draw(st.integers(1, 64))]
        elif kind == "duplicate":
            buf[at:at] = buf[at:at + draw(st.integers(1, 256))]
        elif kind == "truncate":
            del buf[at:]
        else:  # text that XML readers must survive
            buf[at:at] = draw(st.sampled_from([b"<", b"&", b"]]>", b"<!--", b"\x00", b"\xff\xfe", b"<trkpt lat='x'>",
                                               b"<time>99999-99-99T99:99:99+99:99</time>", b"&#x1b;"]))
    if name.endswith(".fit") and len(buf) > 14 and draw(st.booleans()):
        buf = bytearray(_with_crcs(bytes(buf)))  # past the CRC check, into the decoder
    return name, bytes(buf)


def _with_crcs(fit: bytes) -> bytes:
    """``fit`` with its header CRC and file CRC made right again (and the data size in the header)."""
    from crampcheck.synth.fitcrc import crc16

    size = fit[0] if fit[0] in (12, 14) else 14
    header = bytearray(fit[:size])
    body = fit[size:-2] if len(fit) > size + 2 else b""
    header[4:8] = len(body).to_bytes(4, "little")
    if size == 14:
        header[12:14] = crc16(bytes(header[:12])).to_bytes(2, "little")
    return bytes(header) + body + crc16(body, crc16(bytes(header))).to_bytes(2, "little")


def _check(name: str, data: bytes) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            activity = read(data, name)
        except CrampcheckError as exc:
            assert str(exc).startswith(f"{name}: ") and "\n" not in str(exc)
            return
    assert isinstance(activity, Activity) and activity.source == name
    assert len(activity.records) >= 0 and activity.format in ("fit", "gpx", "tcx")


FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 25,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.parametrize("suffix", [".fit", ".gpx", ".tcx"])
def test_mutated_files_give_an_activity_or_a_clear_error(suffix):
    seeds = _seeds(suffix)

    @FUZZ
    @given(mutated(seeds))
    def run(case):
        _check(*case)

    run()


PIPELINE_EXAMPLES = max(5, EXAMPLES // 3)


def test_mutated_fit_files_give_a_report_or_a_clear_error():
    """Past the reader: the metrics, the risk model and the JSON report of a damaged file too."""
    from crampcheck.pipeline import analyze
    from crampcheck.report.jsonout import run_to_dict

    seeds = _seeds(".fit")

    @settings(max_examples=PIPELINE_EXAMPLES, deadline=None, derandomize=EXAMPLES <= 25,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(mutated(seeds))
    def run(case):
        name, data = case
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            try:
                data_dict = run_to_dict(analyze(read(data, name)))
            except CrampcheckError as exc:
                assert "\n" not in str(exc)
                return
        assert data_dict["schema"] == "crampcheck.run/1" and data_dict["file"] == name

    run()


def test_a_second_half_without_speed_is_no_decoupling():
    """Found by the fuzz: a damaged FIT whose second half has no speed divided by zero."""
    import numpy as np

    from crampcheck.metrics.physiology import aerobic_decoupling

    class Still:  # a track whose effort speed is zero in the second half
        total_moving_s = 3600.0
        moving_s = np.arange(1.0, 3601.0)
        weight_s = np.ones(3600)

        def moving_mean(self, values, select):
            return 150.0

        def speed_between_s(self, lo, hi, effort=False):
            return 3.0 if lo == 0 else 0.0

    assert aerobic_decoupling(Still(), np.full(3600, 150.0)) is None


def test_an_xml_error_quoting_a_newline_is_still_one_line():
    """Found by the fuzz: libxml2 quotes the document (newline included) in some messages."""
    data = b"<?xml version='1.0'?>\n<TrainingCenterDatabase><Activities><!--\n<!--\x00 </Activities></TrainingCenterDatabase>"
    with pytest.raises(CrampcheckError) as info:
        read(data, "x.tcx")
    assert "\n" not in str(info.value) and str(info.value).startswith("x.tcx: malformed XML at line")

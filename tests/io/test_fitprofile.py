"""The committed FIT profile subset (io/fitprofile.py) is what its generator writes from
fitparse's profile today: nobody edits it by hand, and a fitparse upgrade shows here."""

from __future__ import annotations

from crampcheck.io import fitprofile, fitprofile_gen


def test_committed_subset_is_the_generator_output():
    assert fitprofile_gen.TARGET.read_text(encoding="utf-8") == fitprofile_gen.render()


def test_generated_subset_reads_what_crampcheck_asks_for():
    """Known truths of the FIT SDK profile: speed's 16-bit component is enhanced_speed; a
    session's distance is in cm; file_id.product reads as garmin_product for Garmin devices."""
    speed = fitprofile.RECORD_PROFILE[6]
    assert (speed.name, speed.scale, speed.components[0].name, speed.components[0].def_num) == ("speed", 1000, "enhanced_speed", 73)
    name, session = fitprofile.MESSAGE_PROFILE[18]
    assert name == "session" and (session[9].name, session[9].scale) == ("total_distance", 100)
    product = fitprofile.MESSAGE_PROFILE[0][1][2]
    assert product.subfields[0] == fitprofile.SubField("garmin_product", ((1, 1), (1, 15), (1, 13)), enum="garmin_product")
    assert "2691:fr935" in fitprofile.ENUM_TEXT["garmin_product"]
    assert fitprofile.RECORD_PROFILE[253].time == fitprofile.UTC_TIME


def test_check_mode_tells_a_stale_file(tmp_path, monkeypatch, capsys):
    stale = tmp_path / "fitprofile.py"
    stale.write_text(fitprofile_gen.render().replace("'fr935'", "'fr936'").replace(":fr935 ", ":fr936 "), encoding="utf-8")
    monkeypatch.setattr(fitprofile_gen, "TARGET", stale)
    assert fitprofile_gen.main(["--check"]) == 1
    assert "differs" in capsys.readouterr().out
    assert fitprofile_gen.main([]) == 0 and fitprofile_gen.main(["--check"]) == 0

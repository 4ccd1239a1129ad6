"""Note naming shared by the music tools."""

from __future__ import annotations

import pytest

from audiorouter.tools.music_common import hz_to_midi, note_name, note_with_cents, pitch_class


@pytest.mark.parametrize("midi,name", [(60, "C4"), (69, "A4"), (58, "A#3"), (36, "C2"),
                                       (96, "C7"), (21, "A0")])
def test_note_names(midi, name):
    assert note_name(midi) == name


def test_note_with_cents_rounds_to_the_nearest_key():
    assert note_with_cents(440.0) == "A4 +0 cents"
    assert note_with_cents(660.0) == "E5 +2 cents"
    assert note_with_cents(450.0) == "A4 +39 cents"
    assert note_with_cents(430.0) == "A4 -40 cents"
    assert hz_to_midi(261.6256) == pytest.approx(60.0, abs=1e-3)


@pytest.mark.parametrize("name,pc", [("C", 0), ("C#", 1), ("Db", 1), ("Eb", 3), ("Bb", 10),
                                     ("B", 11)])
def test_pitch_class_reads_sharps_and_flats(name, pc):
    assert pitch_class(name) == pc


def test_black_key_tonics_carry_both_spellings():
    from audiorouter.tools.music_common import both_spellings

    assert both_spellings("D#") == "D#/Eb" and both_spellings("C") == "C"

"""Notes per frame: harmonics are explained by their fundamental, so only notes remain."""

from audiorouter.tools.notes import fundamentals


def test_harmonics_are_explained_by_their_fundamental():
    peaks = [(220.0 * k, 1.0 / k) for k in range(1, 10)]
    assert fundamentals(peaks) == [(220.0, 1.0)]


def test_a_lone_low_thump_does_not_swallow_the_chord_above():
    """66 Hz has no 2nd or 3rd harmonic of its own, so C4 E4 G4 stay notes."""
    chord = [(261.6, 0.9), (329.6, 0.5), (392.0, 1.0), (523.3, 0.3), (784.9, 0.2)]
    found = fundamentals([(66.0, 0.08), *chord])
    assert [round(f) for f, _ in found] == [262, 330, 392]

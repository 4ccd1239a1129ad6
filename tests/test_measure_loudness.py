"""measure_loudness against BS.1770 references and clips with known levels and gaps."""

from __future__ import annotations

import numpy as np
import pytest

from audiorouter.data import synth
from audiorouter.tools.measure_loudness import MeasureLoudnessArgs, measure_loudness


def _sine(level_dbfs: float, seconds: float, freq: float = 1000.0, sr: int = 16000) -> np.ndarray:
    t = np.arange(int(seconds * sr)) / sr
    return (10 ** (level_dbfs / 20) * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def _measure(audio: np.ndarray, sr: int = 16000, **args):
    out = measure_loudness.execute((audio, sr), args, use_cache=False)
    assert out.ok, out
    return out


def test_minus_20_dbfs_1khz_sine_is_minus_23_lufs():
    # BS.1770, mono: a full-scale 1 kHz sine reads -3.01 LUFS (K-weighting ~0 dB there).
    out = _measure(_sine(-20, 5.0))
    assert out.integrated_lufs == pytest.approx(-23.01, abs=0.15)
    assert out.peak_dbfs == pytest.approx(-20, abs=0.01) and not out.clipping


def test_clip_shorter_than_a_block_is_measured():
    out = _measure(_sine(-20, 0.2))
    assert out.integrated_lufs == pytest.approx(-23.01, abs=0.3)
    assert len(out.over_time) == 1


def test_silence_reads_as_silent():
    out = _measure(np.zeros(32000, np.float32))
    assert out.integrated_lufs is None and out.background_dbfs is None
    assert out.describe() == "silent (below -70 LUFS)"
    assert out.silences[0].duration_s == pytest.approx(2.0, abs=0.02)


def test_louder_half_and_loudest_beep():
    quiet, loud = _sine(-30, 1.0, 440), _sine(-18, 1.0, 440)
    out = _measure(np.concatenate([quiet, loud]))
    assert out.second_half_lufs - out.first_half_lufs == pytest.approx(12, abs=0.5)
    beeps = [_sine(-30, 0.5, 880), _sine(-18, 0.5, 880), _sine(-30, 0.5, 880)]
    out = _measure(synth.concat(beeps, gap_s=0.5))
    assert 1.0 <= out.loudest.time_s <= 1.5
    assert out.loudest.lufs - out.over_time[0].lufs == pytest.approx(12, abs=1.0)


def test_silence_gaps_are_found_within_a_tenth_of_a_second():
    parts = [_sine(-20, 0.6), _sine(-26, 0.8, 500), _sine(-14, 0.5, 2000)]
    audio = synth.concat([parts[0], synth.silence(0.7), parts[1], synth.silence(1.2), parts[2]])
    out = _measure(audio)
    assert [(s.start_s, s.end_s) for s in out.silences] == [
        (pytest.approx(0.6, abs=0.1), pytest.approx(1.3, abs=0.1)),
        (pytest.approx(2.1, abs=0.1), pytest.approx(3.3, abs=0.1))]
    assert out.silent_s == pytest.approx(1.9, abs=0.1)
    assert _measure(audio, min_silence_s=1.0).silences[0].start_s == pytest.approx(2.1, abs=0.1)


def test_each_sound_between_silences_has_its_span_length_and_level():
    parts = [_sine(-20, 0.6), _sine(-32, 1.5), _sine(-14, 0.5)]  # 1 kHz: LUFS = dBFS - 3
    audio = synth.concat([synth.silence(0.4), parts[0], synth.silence(0.7), parts[1],
                          synth.silence(1.2), parts[2], synth.silence(0.5)])
    sounds = _measure(audio).sounds
    assert [s.duration_s for s in sounds] == [pytest.approx(d, abs=0.05) for d in (0.6, 1.5, 0.5)]
    assert [s.start_s for s in sounds] == [pytest.approx(t, abs=0.05) for t in (0.4, 1.7, 4.4)]
    assert [s.lufs for s in sounds] == [pytest.approx(level - 3.0, abs=1.0) for level in (-20, -32, -14)]
    summary = _measure(audio).summary
    assert "3 sounds: first" in summary
    assert "loudest the third, quietest the second (18 dB apart)" in summary
    assert summary.count("LUFS") == 1  # the unit once, on the first level


def test_one_sound_reads_as_its_length():
    audio = synth.concat([synth.silence(0.6), _sine(-20, 2.5), synth.silence(0.8)])
    out = _measure(audio)
    assert len(out.sounds) == 1 and out.sounds[0].duration_s == pytest.approx(2.5, abs=0.05)
    assert out.summary.startswith("one sound lasting 2.5 s (from 0.6 to 3.1 s)")


def test_sounds_of_equal_level_have_no_loudest():
    audio = synth.concat([_sine(-20, 0.5), synth.silence(0.5), _sine(-20, 0.5)])
    assert "all about equally loud" in _measure(audio).summary


def test_pauses_shorter_than_a_silence_stay_inside_one_sound():
    audio = synth.concat([_sine(-20, 0.5), synth.silence(0.1), _sine(-20, 0.5),
                          synth.silence(0.6), _sine(-20, 0.5)])
    assert [s.duration_s for s in _measure(audio).sounds] == [
        pytest.approx(1.1, abs=0.05), pytest.approx(0.5, abs=0.05)]


@pytest.mark.parametrize("snr", [20.0, 30.0])
def test_background_noise_between_sounds_counts_as_silence(snr):
    rng = np.random.default_rng(int(snr))
    clean = synth.concat([synth.silence(0.5), _sine(-10, 1.0, 600), synth.silence(0.8),
                          _sine(-10, 2.0, 600), synth.silence(0.6)])
    out = _measure(synth.mix(clean, synth.white_noise(len(clean) / 16000, rng), snr))
    assert [s.duration_s for s in out.sounds] == [pytest.approx(1.0, abs=0.1),
                                                  pytest.approx(2.0, abs=0.1)]
    assert len(out.silences) == 3
    assert len(_measure(synth.mix(clean, synth.white_noise(4.9, rng), 10.0)).sounds) == 1  # < 15 dB


@pytest.mark.parametrize("snr", [3.0, 12.0, 25.0])
def test_snr_of_a_mix_is_within_3_db(snr):
    rng = np.random.default_rng(int(snr))
    signal, _ = synth.hits(8, rng=rng, each_different=True)
    out = _measure(synth.mix(signal, synth.white_noise(3.0, rng), snr))
    assert out.snr_db == pytest.approx(snr, abs=3.0)


def test_steady_tone_has_no_snr():
    out = _measure(_sine(-20, 3.0))
    assert out.snr_db is None and out.background_dbfs == pytest.approx(-23, abs=1)


def test_clipping_is_read_from_the_original_before_resampling():
    t = np.arange(44100) / 44100
    clipped = np.clip(2.0 * np.sin(2 * np.pi * 440 * t), -1, 1).astype(np.float32)
    out = _measure(clipped, sr=44100)
    assert out.clipping and out.clipped_fraction > 0.3 and out.peak_dbfs == pytest.approx(0, abs=0.01)
    assert "CLIPPING" in out.summary
    assert not _measure(0.9 * np.sin(2 * np.pi * 440 * t).astype(np.float32), sr=44100).clipping


def test_loudness_curve_is_bounded():
    out = _measure(synth.white_noise(120.0, np.random.default_rng(0)), hop_s=0.1)
    assert len(out.over_time) <= 50 and out.hop_s >= 2.4


def test_schema_hides_audio_and_bounds_arguments():
    schema = measure_loudness.tool_call_schema.model_json_schema()
    assert set(schema["properties"]) == {"hop_s", "silence_below_db", "min_silence_s"}
    assert "each sound" in measure_loudness.description
    with pytest.raises(Exception):
        MeasureLoudnessArgs(min_silence_s=0)

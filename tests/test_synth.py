"""Ground-truth audio must be what it claims: pitch, duration, onsets, key, voice sex."""

from __future__ import annotations

import numpy as np
import pytest

from audiorouter.data import synth
from audiorouter.data.synth import events, system
from audiorouter.tools.audio import SAMPLE_RATE as SR

_PITCH_CLASSES = {"C": 0, "C#": 1, "Db": 1, "D": 2, "D#": 3, "Eb": 3, "E": 4, "F": 5, "F#": 6,
                  "Gb": 6, "G": 7, "G#": 8, "Ab": 8, "A": 9, "A#": 10, "Bb": 10, "B": 11}


def _frame_f0(frame: np.ndarray, sr: int, fmin: float, fmax: float) -> float | None:
    """Autocorrelation f0 of one frame: first lag within 90% of the best peak, refined."""
    frame = frame - frame.mean()
    ac = np.correlate(frame, frame, mode="full")[len(frame) - 1:]
    if ac[0] <= 0:
        return None
    ac = ac / ac[0]
    lo, hi = int(sr / fmax), int(sr / fmin)
    region = ac[lo:hi]
    if region.max() < 0.5:
        return None
    peaks = [i for i in range(1, len(region) - 1)
             if region[i] >= region[i - 1] and region[i] >= region[i + 1]
             and region[i] >= 0.9 * region.max()]
    if not peaks:
        return None
    k = lo + peaks[0]
    a, b, c = ac[k - 1], ac[k], ac[k + 1]
    return sr / (k + 0.5 * (a - c) / (a - 2 * b + c))


def _median_f0(x: np.ndarray, sr: int, fmin: float = 60.0, fmax: float = 1000.0) -> float:
    size, hop = int(0.04 * sr), int(0.02 * sr)
    loud = np.sqrt(np.mean(x**2)) * 0.3
    f0s = [f for i in range(0, len(x) - size, hop)
           if np.sqrt(np.mean(x[i:i + size] ** 2)) > loud
           and (f := _frame_f0(x[i:i + size], sr, fmin, fmax)) is not None]
    assert f0s, "no voiced frame found"
    return float(np.median(f0s))


def _cents(f: float, ref: float) -> float:
    return 1200 * np.log2(f / ref)


def _energy_rises_at(x: np.ndarray, onsets: list[float], sr: int = SR) -> bool:
    """Every onset has much more energy in the 20 ms after it than in the 20 ms before."""
    w = int(0.02 * sr)
    for t in onsets:
        i = int(round(t * sr))
        before, after = np.mean(x[i - w:i] ** 2), np.mean(x[i:i + w] ** 2)
        if after < 4 * before + 1e-8:
            return False
    return True


def _key_of(x: np.ndarray, sr: int = SR) -> tuple[int, str]:
    """essentia's HPCP key finder (Temperley profile: 144/144 cadences right when checked)."""
    import essentia.standard as es

    key, scale, _ = es.KeyExtractor(sampleRate=sr, profileType="temperley")(x)
    return _PITCH_CLASSES[key], scale


# --- basic signals ------------------------------------------------------------------------

def test_tone_pitch_and_fade():
    x = synth.tone(440.0, 1.0)
    assert x.dtype == np.float32 and len(x) == SR
    assert abs(x[0]) < 1e-6 and abs(x[-1]) < 1e-6
    assert abs(_cents(_median_f0(x, SR), 440.0)) < 5


def test_mix_sets_snr():
    rng = np.random.default_rng(0)
    signal = synth.tone(300.0, 1.0)
    noise = synth.white_noise(1.0, rng)
    mixed = synth.mix(signal, noise, snr_db=10.0)
    residual = mixed.astype(np.float64) - signal
    snr = 10 * np.log10(np.mean(signal.astype(np.float64) ** 2) / np.mean(residual**2))
    assert abs(snr - 10.0) < 0.1


def test_concat_adds_gaps():
    parts = [synth.tone(440.0, 0.5), synth.tone(660.0, 0.5)]
    assert len(synth.concat(parts, gap_s=0.25)) == int(1.25 * SR)


def test_write_wav_round_trips(tmp_path):
    import soundfile as sf

    path = synth.write_wav(tmp_path / "a.wav", synth.tone(440.0, 0.5))
    y, sr = sf.read(path)
    assert sr == SR and len(y) == SR // 2


# --- rendering ----------------------------------------------------------------------------

def test_rendered_a4_sounds_at_440():
    x = synth.note_clip(69, synth.PITCHED_PROGRAMS["acoustic_grand_piano"], 1.5)
    assert abs(_cents(_median_f0(x[int(0.2 * SR):int(1.0 * SR)], SR), 440.0)) < 20


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(synth.PITCHED_PROGRAMS))
@pytest.mark.parametrize("key", [60, 69])
def test_pitched_programs_sound_at_their_key(name, key):
    x = synth.note_clip(key, synth.PITCHED_PROGRAMS[name], 1.5)
    ref = 440.0 * 2 ** ((key - 69) / 12)
    assert abs(_cents(_median_f0(x[int(0.2 * SR):int(1.0 * SR)], SR), ref)) < 20


def test_drum_loop_has_requested_duration():
    tempo, bars = 100.0, 4
    x = synth.drum_loop(tempo, bars, np.random.default_rng(1))
    assert abs(len(x) / SR - bars * 4 * 60 / tempo) <= 0.5
    assert np.max(np.abs(x)) > 0.05


def test_render_notes_rejects_bad_notes():
    with pytest.raises(ValueError, match="bad note"):
        synth.render_notes([synth.Note(0.0, 1.0, 200)])


def test_chord_clip_rejects_unknown_quality():
    with pytest.raises(ValueError, match="quality"):
        synth.chord_clip(60, "mystery", 0)


@pytest.mark.slow
@pytest.mark.parametrize("tonic,mode,instrument", [
    (0, "major", "acoustic_grand_piano"), (9, "minor", "acoustic_grand_piano"),
    (7, "minor", "nylon_guitar"), (11, "major", "nylon_guitar"), (2, "major", "flute"),
    (5, "minor", "string_ensemble")])
def test_cadence_clip_key_is_recoverable(tonic, mode, instrument):
    x = synth.cadence_clip(tonic, mode, synth.PITCHED_PROGRAMS[instrument], 100.0,
                           np.random.default_rng(tonic))
    assert _key_of(x) == (tonic, mode)


@pytest.mark.slow
def test_cadence_clip_is_deterministic():
    a = synth.cadence_clip(5, "major", 0, 120.0, np.random.default_rng(3), bars=4)
    b = synth.cadence_clip(5, "major", 0, 120.0, np.random.default_rng(3), bars=4)
    assert np.array_equal(a, b)


# --- speech -------------------------------------------------------------------------------

def test_speak_returns_audible_speech():
    x = synth.speak("hello world")
    assert x.dtype == np.float32
    frames = x[: len(x) // 160 * 160].reshape(-1, 160)
    voiced_s = np.sum(np.sqrt(np.mean(frames**2, axis=1)) > 0.01) * 160 / SR
    assert voiced_s > 0.5


def test_espeak_voice_and_rate():
    slow = synth.speak("one two three four", voice="espeak:en-us+f3", rate_wpm=120)
    fast = synth.speak("one two three four", voice="espeak:en-us+f3", rate_wpm=260)
    assert len(slow) > 1.4 * len(fast)


@pytest.mark.parametrize("voice", ["nosuch", "espeak:xx-nope", "espeak:en-us+nosuch"])
def test_unknown_voice_raises_clear_error(voice):
    with pytest.raises(ValueError, match="unknown"):
        synth.speak("hello", voice=voice)


def test_missing_binary_names_the_package(monkeypatch):
    monkeypatch.setattr(system.shutil, "which", lambda name: None)
    with pytest.raises(RuntimeError, match="apt-get install flite"):
        synth.speak("hello", voice="kal")


@pytest.mark.slow
@pytest.mark.parametrize("voice", sorted(synth.VOICE_SEX))
def test_voice_sex_matches_measured_f0(voice):
    f0 = _median_f0(synth.speak("The quick brown fox jumps over the lazy dog.", voice=voice),
                    SR, fmin=60.0, fmax=400.0)
    assert (f0 < 150) if synth.VOICE_SEX[voice] == "male" else (f0 > 170)


# --- real recordings ----------------------------------------------------------------------

def test_asterisk_digits_concatenates_real_digits():
    one = synth.asterisk_digits("1")
    three = synth.asterisk_digits("123")
    assert len(three) > len(one) + SR // 2
    assert synth.asterisk_path("7").name == "7.wav"


def test_asterisk_rejects_non_digits():
    with pytest.raises(ValueError):
        synth.asterisk_digits("12a")


@pytest.mark.parametrize("language", ["es", "fr", "it", "ru"])
def test_asterisk_digits_in_other_languages_are_other_recordings(language):
    english, other = synth.asterisk_path("7"), synth.asterisk_path("7", language)
    assert other.name == "7.wav" and other != english
    assert len(synth.asterisk_digits("728", language=language)) > SR // 2


def test_asterisk_speakers_are_named_as_their_folders_say():
    assert synth.ASTERISK_SEX == {"en": "female", "es": "female", "fr": "female", "it": "male",
                                  "ru": "female"}


def test_asterisk_names_the_voices_it_has():
    with pytest.raises(ValueError, match="'de'.*'en', 'es'"):
        synth.asterisk_path("7", "de")


def test_hydrogen_kits_parse_real_samples():
    kits = synth.hydrogen_kits()
    assert len(kits) >= 10
    for instruments in kits.values():
        for paths in instruments.values():
            assert all(p.is_file() for p in paths)
    assert any("kick" in name.lower() for name in kits["Audiophob"])


def test_hits_onsets_are_known():
    rng = np.random.default_rng(7)
    x, onsets = synth.hits(5, rng=rng)
    assert len(onsets) == 5
    assert all(b > a for a, b in zip(onsets, onsets[1:]))
    assert 0 < onsets[0] and onsets[-1] < len(x) / SR
    assert _energy_rises_at(x, onsets)


def test_hits_are_deterministic_per_seed():
    a, ta = synth.hits(6, rng=np.random.default_rng(11), each_different=True)
    b, tb = synth.hits(6, rng=np.random.default_rng(11), each_different=True)
    c, tc = synth.hits(6, rng=np.random.default_rng(12), each_different=True)
    assert np.array_equal(a, b) and ta == tb
    assert tc != ta


def test_hits_by_instrument():
    x, onsets = synth.hits(3, rng=np.random.default_rng(2), kit="Audiophob", instrument="kick")
    assert len(onsets) == 3 and _energy_rises_at(x, onsets)
    with pytest.raises(ValueError, match="no hydrogen instrument"):
        synth.hits(3, rng=np.random.default_rng(2), instrument="theremin")


def test_instrument_matches_word_starts_only():
    names = [name for kit in events._hit_pool(None, "tom").values() for name in kit]
    assert names and not any("Custom" in name for name in names)


@pytest.mark.parametrize("kind", ["drum", "tone", "click"])
def test_events_clip_counts(kind):
    n = 4
    x, onsets = synth.events_clip(n, np.random.default_rng(5), kind)
    assert len(onsets) == n and onsets[-1] < len(x) / SR
    assert _energy_rises_at(x, onsets)

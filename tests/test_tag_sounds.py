"""tag_sounds: YAMNet front end and decoding checked on sounds whose labels are known."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from audiorouter.data import synth
from audiorouter.tools.audio import load_audio
from audiorouter.tools.base import ordinal
from audiorouter.tools.dsp import Segment
from audiorouter.tools.tag_sounds import (NamedSound, SoundLabel, SoundTags, TagSoundsArgs,
                                          label_segments, log_mel, quantisation, tag_sounds)

UI_SOUNDS = Path("/usr/share/sounds/freedesktop/stereo")


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        out.append((value & 0x7F) | (0x80 if value > 0x7F else 0))
        value >>= 7
        if not value:
            return bytes(out)


def _tag(field: int, wire: int) -> bytes:
    return _varint((field << 3) | wire)


def _message(field: int, payload: bytes) -> bytes:
    return _tag(field, 2) + _varint(len(payload)) + payload


def _initializer(name: str, data_type: int, raw: bytes) -> bytes:
    return _message(5, _tag(2, 0) + bytes([data_type]) + _message(8, name.encode())
                    + _message(9, raw))


def test_quantisation_is_read_from_the_protobuf(tmp_path):
    graph = b"".join([
        _initializer("unrelated", 1, struct.pack("<f", 9.0)),
        _initializer("audio_scale", 1, struct.pack("<f", 0.05)),
        _initializer("audio_zero_point", 2, bytes([144])),
        _initializer("class_scores_scale", 1, struct.pack("<f", 0.75)),
        _initializer("class_scores_zero_point", 2, bytes([190])),
    ])
    model = tmp_path / "model.onnx"
    model.write_bytes(_tag(1, 0) + _varint(8) + _message(7, graph))  # ir_version, graph
    scale, zero, out_scale, out_zero = quantisation(model)
    assert scale == pytest.approx(0.05) and zero == 144
    assert out_scale == pytest.approx(0.75) and out_zero == 190


def test_quantisation_missing_is_an_error(tmp_path):
    model = tmp_path / "model.onnx"
    model.write_bytes(_message(7, _initializer("audio_scale", 1, struct.pack("<f", 0.05))))
    with pytest.raises(ValueError, match="audio_zero_point"):
        quantisation(model)


def test_log_mel_pads_to_whole_patches_and_puts_a_tone_in_the_right_band():
    assert log_mel(np.zeros(100, np.float32)).shape == (96, 64)  # one patch
    assert log_mel(np.zeros(16000 * 2, np.float32)).shape[0] == 96 + 48 * 3  # patches at 0-1.44 s
    bands = log_mel(synth.tone(1000, 1.0)).mean(axis=0)
    peak_hz = 700 * np.expm1(np.linspace(1127 * np.log1p(125 / 700), 1127 * np.log1p(7500 / 700),
                                         66)[1:-1][np.argmax(bands)] / 1127)
    assert 900 < peak_hz < 1100


def test_label_segments_credit_patch_centres_and_bridge_one_step():
    spans = label_segments(np.array([True, False, True, False, False, True]), duration=3.0)
    assert spans == [(0.0, pytest.approx(1.68)), (pytest.approx(2.64), 3.0)]  # patch 2 ends at 1.68
    assert label_segments(np.zeros(4, bool), 2.0) == []


def test_schema_hides_audio_and_bounds_arguments():
    schema = tag_sounds.tool_call_schema.model_json_schema()
    assert set(schema["properties"]) == {"top_k", "threshold", "rank_by"}
    assert schema["properties"]["top_k"]["maximum"] == 20
    with pytest.raises(Exception):
        TagSoundsArgs(top_k=0)


def _labels(audio: np.ndarray, sr: int = 16000, **args) -> list[str]:
    out = tag_sounds.execute((audio, sr), args, use_cache=False)
    assert out.ok, out
    return [item.label for item in out.labels if item.segments]


@pytest.mark.slow
@pytest.mark.parametrize("make, expected", [
    (lambda: synth.speak("The quick brown fox jumps over the lazy dog."), {"Speech"}),
    (lambda: synth.tone(1000, 3.0), {"Sine wave", "Beep, bleep"}),
    (lambda: synth.drum_loop(110, 2, np.random.default_rng(0)), {"Drum kit", "Drum", "Percussion"}),
    (lambda: synth.cadence_clip(0, "major", 0, 120, np.random.default_rng(0), bars=4),
     {"Piano", "Keyboard (musical)"}),
    (lambda: synth.white_noise(3.0, np.random.default_rng(0)), {"White noise", "Noise"}),
    (lambda: np.zeros(16000 * 2, np.float32), {"Silence"}),
])
def test_known_sounds_get_their_labels(make, expected):
    top = _labels(make(), top_k=5)
    assert expected & set(top), top


@pytest.mark.slow
@pytest.mark.parametrize("name, expected", [
    ("phone-incoming-call", {"Telephone bell ringing", "Telephone", "Ringtone"}),
    ("camera-shutter", {"Camera", "Single-lens reflex camera"}),
    ("complete", {"Ding", "Bell", "Chime"}),
])
def test_real_ui_sounds_get_their_labels(name, expected):
    clip = load_audio(UI_SOUNDS / f"{name}.oga")
    top = _labels(clip.samples, top_k=3)
    assert expected & set(top), top


@pytest.mark.slow
def test_timeline_places_speech_before_drums():
    speech = synth.speak("Hello, how are you doing today? I am fine, thank you.")
    drums = synth.drum_loop(120, 2, np.random.default_rng(1))
    audio = synth.concat([speech, drums], gap_s=1.0)
    out = tag_sounds.execute((audio, 16000), {"rank_by": "mean"}, use_cache=False)
    spans = {item.label: item.segments for item in out.labels}
    speech_end = len(speech) / 16000
    assert spans["Speech"][0].start_s < 0.5
    assert abs(spans["Speech"][-1].end_s - speech_end) < 0.6
    # Where the drums begin is read from the sounds between silences: per-label spans follow
    # thresholds on model scores, and on another CPU the drum labels crossed theirs a second late.
    first, second = out.sounds
    assert "Speech" in first.labels and abs(first.end_s - speech_end) < 0.6
    assert {"Music", "Drum kit", "Drum", "Percussion"} & set(second.labels[:2])
    assert abs(second.start_s - (speech_end + 1.0)) < 0.6
    drum_start = min(s.start_s for label in ("Drum kit", "Drum", "Percussion")
                     for s in spans.get(label, []))
    assert speech_end < drum_start < len(audio) / 16000
    assert "Speech" in out.summary and out.patches == int(np.ceil((len(audio) / 16000 - 0.975) / 0.48)) + 1


def _tags(labels: list[str], sounds: list[list[str]]) -> SoundTags:
    span = Segment(start_s=0.0, end_s=1.0, duration_s=1.0)
    return SoundTags(labels=[SoundLabel(label=name, mean=0.5, max=0.9, present_s=1.0, segments=[span])
                             for name in labels],
                     ranked_by="max", threshold=0.15, patches=4,
                     sounds=[NamedSound(start_s=i, end_s=i + 0.5, duration_s=0.5, labels=names, score=0.8)
                             for i, names in enumerate(sounds)])


def test_summary_names_each_label_once_without_scores():
    both = _tags(["Music", "Dog", "Speech"], [["Dog", "Bark"], ["Music", "Guitar"]])
    assert both.describe() == ("Speech; 2 sounds in order: first Dog / Bark, "
                               "second (last) Music / Guitar")
    assert _tags(["Dog", "Bark"], [["Bark", "Dog"], ["Dog"]]).describe() == (
        "2 sounds in order: first Bark / Dog, second (last) Dog")
    assert _tags(["Siren", "Vehicle"], []).describe() == "Siren, Vehicle"


@pytest.mark.slow
def test_each_sound_between_silences_is_named_in_order():
    speech = synth.speak("Hello, how are you doing today?")
    beep = synth.tone(1000.0, 1.0)
    drums = synth.drum_loop(120, 1, np.random.default_rng(1))
    audio = synth.concat([synth.silence(0.3), speech, synth.silence(0.8), beep,
                          synth.silence(0.8), drums])
    out = tag_sounds.execute((audio, 16000), {}, use_cache=False)
    assert [s.start_s for s in out.sounds] == sorted(s.start_s for s in out.sounds)
    first, second, *rest = out.sounds
    assert "Speech" in first.labels and {"Sine wave", "Beep, bleep"} & set(second.labels)
    assert rest and {"Drum kit", "Drum", "Percussion", "Music"} & set(rest[0].labels)
    assert f"{len(out.sounds)} sounds in order: first" in out.summary
    assert f"{ordinal(len(out.sounds) - 1)} (last)" in out.summary


@pytest.mark.slow
def test_one_sound_is_not_named_again():
    out = tag_sounds.execute((synth.tone(440.0, 2.0), 16000), {}, use_cache=False)
    assert out.ok and out.sounds == [] and "sounds in order" not in out.summary


@pytest.mark.slow
def test_tiny_clip_is_padded_not_failed():
    out = tag_sounds.execute((np.full(50, 0.01, np.float32), 16000), {}, use_cache=False)
    assert out.ok and out.patches == 1 and len(out.labels) == 10


@pytest.mark.slow
def test_nothing_above_the_threshold_says_so():
    noise = synth.white_noise(2.0, np.random.default_rng(0))
    out = tag_sounds.execute((noise, 16000), {"threshold": 0.95}, use_cache=False)
    assert out.ok and out.summary.startswith("no sound label reaches 0.95")

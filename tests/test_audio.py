import base64
import subprocess

import numpy as np
import pytest
import soundfile as sf

from audiorouter.tools.audio import SAMPLE_RATE, ClipStore, load_audio, resolve_clip
from audiorouter.tools.errors import (
    AudioDecodeError,
    AudioInputError,
    AudioNotFoundError,
    AudioTooLongError,
    EmptyAudioError,
    NonFiniteAudioError,
    UnknownClipError,
    UnsupportedAudioFormatError,
)
from conftest import sine


@pytest.fixture
def stereo_44k() -> np.ndarray:
    left = sine(440, 1.0, 44_100)
    return np.stack([left, 0.5 * left], axis=1)


@pytest.mark.parametrize("fmt", ["wav", "flac", "ogg", "mp3"])
def test_reads_common_containers(tmp_path, stereo_44k, fmt):
    path = tmp_path / f"a.{fmt}"
    sf.write(path, stereo_44k, 44_100, format=fmt.upper() if fmt != "ogg" else "OGG")
    clip = load_audio(path)
    assert clip.sample_rate == SAMPLE_RATE and clip.samples.dtype == np.float32
    assert clip.original_sample_rate == 44_100 and clip.original_channels == 2
    assert clip.duration == pytest.approx(1.0, abs=0.06)  # mp3 pads a little
    spectrum = np.abs(np.fft.rfft(clip.samples[:16_000]))
    assert np.argmax(spectrum) * SAMPLE_RATE / 16_000 == pytest.approx(440, abs=2)


def test_ffmpeg_fallback_reads_m4a(tmp_path, stereo_44k):
    wav, m4a = tmp_path / "a.wav", tmp_path / "a.m4a"
    sf.write(wav, stereo_44k, 44_100)
    subprocess.run(["ffmpeg", "-v", "error", "-i", str(wav), "-c:a", "aac", str(m4a)], check=True)
    clip = load_audio(m4a)
    assert clip.duration == pytest.approx(1.0, abs=0.1) and clip.original_channels == 2


def test_same_sound_is_the_same_clip_in_any_form(tmp_path, stereo_44k):
    wav, flac = tmp_path / "a.wav", tmp_path / "a.flac"
    sf.write(wav, stereo_44k, 44_100, subtype="FLOAT")
    sf.write(flac, stereo_44k, 44_100, subtype="PCM_24")
    raw = wav.read_bytes()
    ids = {
        load_audio(wav).id,
        load_audio(raw).id,
        load_audio(base64.b64encode(raw).decode()).id,
        load_audio("data:audio/wav;base64," + base64.b64encode(raw).decode()).id,
        load_audio(stereo_44k, sample_rate=44_100).id,
        load_audio((stereo_44k.T.copy(), 44_100)).id,  # channels-first is detected
        load_audio({"array": stereo_44k, "sampling_rate": 44_100}).id,
    }
    assert len(ids) == 1
    assert load_audio(flac).id not in ids  # 24-bit quantisation is a different signal


def test_integer_arrays_are_scaled():
    pcm = (sine(440, 0.5) * 32767).astype(np.int16)
    clip = load_audio(pcm, 16_000)
    assert clip.original_peak == pytest.approx(0.5, abs=1e-3)


def test_clip_reference_survives_a_new_process(tmp_path):
    clip = load_audio(sine(220, 0.5), 16_000)
    fresh = ClipStore()  # as another process would see it: only the disk cache
    again = fresh.get(clip.ref)
    np.testing.assert_array_equal(again.samples, clip.samples)
    assert again.original_sample_rate == 16_000 and resolve_clip(clip.ref).id == clip.id


@pytest.mark.parametrize("bad, error", [
    ("/no/such/file.wav", AudioNotFoundError),
    ("clip:0000000000deadbeef", UnknownClipError),
    (np.zeros(0, np.float32), EmptyAudioError),
    (np.array([0.0, np.nan, 0.1], np.float32), NonFiniteAudioError),
    (np.zeros((2, 3, 4), np.float32), UnsupportedAudioFormatError),
    (12345, UnsupportedAudioFormatError),
])
def test_bad_inputs_raise_typed_errors(bad, error):
    with pytest.raises(error) as info:
        load_audio(bad, 16_000)
    assert isinstance(info.value, AudioInputError) and len(str(info.value)) > 20


def test_array_without_rate_says_what_to_do():
    with pytest.raises(UnsupportedAudioFormatError, match="sample_rate"):
        load_audio(sine())


def test_corrupt_file_is_a_decode_error(tmp_path, stereo_44k):
    path = tmp_path / "broken.wav"
    sf.write(path, stereo_44k, 44_100)
    path.write_bytes(path.read_bytes()[:12] + b"\x00garbage" * 30)  # RIFF/WAVE, broken chunks
    with pytest.raises(AudioDecodeError):
        load_audio(path)


@pytest.mark.parametrize("fmt", ["wav", "flac"])
def test_a_file_cut_short_is_refused_not_shortened(tmp_path, stereo_44k, fmt):
    from audiorouter.tools.errors import TruncatedAudioError

    path = tmp_path / f"cut.{fmt}"
    sf.write(path, stereo_44k, 44_100)
    whole = path.read_bytes()
    path.write_bytes(whole[:len(whole) // 4])
    with pytest.raises(AudioDecodeError) as caught:
        load_audio(path)
    with pytest.raises(AudioDecodeError):
        load_audio(path.read_bytes())
    if fmt == "wav":  # a WAV header states its data's size: say what is missing
        assert isinstance(caught.value, TruncatedAudioError) and "cut-short" in str(caught.value)


def test_a_data_uri_of_an_image_is_not_audio():
    with pytest.raises(UnsupportedAudioFormatError, match="image/png is not audio"):
        load_audio("data:image/png;base64," + "iVBORw0KGgo" * 40)


def test_a_pipe_is_refused_without_opening_it(tmp_path):
    import os

    fifo = tmp_path / "audio.fifo"
    os.mkfifo(fifo)  # opening it for reading would block until a writer comes
    with pytest.raises(UnsupportedAudioFormatError, match="not a regular file"):
        load_audio(fifo)


def test_a_damaged_stored_clip_is_dropped_with_a_typed_error(tmp_path, monkeypatch):
    from audiorouter.tools.audio import clip_store
    from audiorouter.tools.errors import UnknownClipError

    monkeypatch.setenv("AUDIOROUTER_CACHE", str(tmp_path))
    ref = "clip:" + "ab" * 10
    stored = tmp_path / "clips" / f"{'ab' * 10}.npz"
    stored.parent.mkdir(parents=True)
    stored.write_bytes(b"PK\x03\x04 torn")
    with pytest.raises(UnknownClipError, match="damaged"):
        clip_store.get(ref)
    assert not stored.exists()
    with pytest.raises(UnknownClipError, match="not a clip reference"):
        clip_store.get("clip:../../etc/passwd")


def test_text_file_is_unsupported(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not audio at all")
    with pytest.raises(UnsupportedAudioFormatError, match="wav, flac"):
        load_audio(path)


def test_empty_file_and_zero_length_wav(tmp_path):
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    with pytest.raises(EmptyAudioError):
        load_audio(empty)
    zero = tmp_path / "zero.wav"
    sf.write(zero, np.zeros(0, np.float32), 16_000)
    with pytest.raises(EmptyAudioError):
        load_audio(zero)


def test_bad_base64_is_a_decode_error():
    with pytest.raises(AudioDecodeError):
        load_audio("data:audio/wav;base64,@@@not-base64@@@")


def test_too_long_is_refused_before_decoding(tmp_path, monkeypatch):
    path = tmp_path / "long.wav"
    sf.write(path, np.zeros(16_000 * 3, np.float32), 16_000)
    with pytest.raises(AudioTooLongError, match="AUDIOROUTER_MAX_SECONDS"):
        load_audio(path, max_seconds=2)
    monkeypatch.setenv("AUDIOROUTER_MAX_SECONDS", "1")
    with pytest.raises(AudioTooLongError):
        load_audio(np.zeros(16_000 * 2, np.float32), 16_000)


def test_clipping_is_measured_on_the_original():
    x = np.clip(sine(100, 1.0, 48_000, amp=2.0), -1, 1)
    clip = load_audio(x, 48_000)
    assert clip.original_peak == pytest.approx(1.0) and clip.clipped_fraction > 0.3


MEMORY_PROBE = """
import base64, resource, sys
from pathlib import Path
from audiorouter.tools import load_audio
from audiorouter.tools.errors import AudioTooLongError
path, kind = Path(sys.argv[1]), sys.argv[2]
audio = {"path": lambda: str(path), "bytes": path.read_bytes,
         "data URI": lambda: "data:audio/mp4;base64," + base64.b64encode(path.read_bytes()).decode()}[kind]()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    load_audio(audio)
except AudioTooLongError as exc:
    print("refused", exc, file=sys.stderr)
print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
"""


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["m4a", "wav", "flac"])
@pytest.mark.parametrize("kind", ["path", "bytes", "data URI"])
def test_a_two_hour_file_is_refused_within_200_mb(tmp_path_factory, fmt, kind):
    import subprocess
    import sys

    folder = tmp_path_factory.getbasetemp() / "two-hours"
    folder.mkdir(exist_ok=True)
    path = folder / f"long.{fmt}"
    if not path.exists():  # 2 h of quiet noise at 8 kHz (AAC is 0.5 MB; WAV 115 MB)
        codec = {"m4a": ["-c:a", "aac", "-b:a", "8k"], "wav": [], "flac": []}[fmt]
        subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                        "anoisesrc=r=8000:a=0.01:c=pink", "-t", "7200", *codec, str(path)],
                       check=True, timeout=600)
    out = subprocess.run([sys.executable, "-c", MEMORY_PROBE, str(path), kind],
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "refused" in out.stderr and "7200.0 s long" in out.stderr
    assert int(out.stdout.split()[-1]) <= 200, f"{fmt} as {kind}: {out.stdout} MB"


def test_arrays_are_read_as_what_they_are_not_silently_reshaped():
    nine = load_audio(np.tile(sine(440, 1.0), (9, 1)), 16_000)  # channels first: 9 channels
    assert nine.original_channels == 9 and nine.duration == pytest.approx(1.0)
    centred = load_audio((np.full(1600, 128, np.uint8), 16_000))
    assert np.abs(centred.samples).max() == 0  # uint8 silence is 128
    for rate, message in [(1e12, "1000 to 768000 Hz"), (2.5, "whole number"), (0, "1000 to")]:
        with pytest.raises(UnsupportedAudioFormatError, match=message):
            load_audio(sine(), rate)
    with pytest.raises(UnsupportedAudioFormatError, match="divide by 32768"):
        load_audio(sine() * 32767, 16_000)
    with pytest.raises(UnsupportedAudioFormatError, match="at most 64 channels"):
        load_audio(np.ones((100, 100), np.float32), 16_000)

"""Decoding bytes and files: the right samples, and each kind of bad input its own typed error,
found from the header where it can be."""

import io
import shutil
import subprocess

import numpy as np
import pytest
import soundfile as sf

from audiorouter.tools.decode import check_header, check_length, decode
from audiorouter.tools.errors import (AudioDecodeError, AudioTooLongError, EmptyAudioError,
                                      TruncatedAudioError, UnsupportedAudioFormatError)


def wav_bytes(seconds: float, rate: int = 8000) -> bytes:
    buffer = io.BytesIO()
    t = np.arange(int(seconds * rate)) / rate
    sf.write(buffer, 0.5 * np.sin(2 * np.pi * 440 * t), rate, format="WAV", subtype="PCM_16")
    return buffer.getvalue()


def test_a_wav_decodes_to_its_samples_and_rate():
    samples, rate = decode(wav_bytes(0.5), "a wav", limit=10)
    assert rate == 8000 and len(samples) == 4000 and abs(np.abs(samples).max() - 0.5) < 1e-3


def test_a_long_wav_is_refused_from_its_header_alone():
    head = wav_bytes(3.0)[:2000]  # the header says 3 s; only the start is here (as of base64)
    with pytest.raises(AudioTooLongError, match="3.0 s long, over the 2 s maximum"):
        check_length(sf.info(io.BytesIO(head)), limit=2)
    with pytest.raises(AudioTooLongError):
        check_header(wav_bytes(3.0), "a wav", limit=2)


def test_a_cut_short_wav_is_refused_not_half_read():
    with pytest.raises(TruncatedAudioError, match="cut-short"):
        check_header(wav_bytes(1.0)[:4000], "a wav", limit=10)


def test_nothing_noise_and_broken_audio_are_told_apart():
    with pytest.raises(EmptyAudioError):
        decode(b"", "nothing", limit=10)
    with pytest.raises(UnsupportedAudioFormatError):
        decode(b"hello, this is text and not audio at all", "text", limit=10)
    with pytest.raises(AudioDecodeError):
        decode(b"RIFF" + bytes(100), "a broken wav", limit=10)


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg makes the MP3")
def test_an_mp3_decodes_and_a_long_one_is_refused(tmp_path):
    (tmp_path / "a.wav").write_bytes(wav_bytes(3.0, rate=16000))
    subprocess.run(["ffmpeg", "-loglevel", "error", "-i", str(tmp_path / "a.wav"), str(tmp_path / "a.mp3")],
                   check=True)
    samples, rate = decode(tmp_path / "a.mp3", "an mp3", limit=10)
    assert rate == 16000 and abs(len(samples) / rate - 3.0) < 0.1
    with pytest.raises(AudioTooLongError):
        check_header(tmp_path / "a.mp3", "an mp3", limit=1)

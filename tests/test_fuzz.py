"""Fuzzing the audio input: hundreds of broken, odd and hostile inputs, each answered in
bounded time with a clip or a typed, documented error, never anything else."""

from __future__ import annotations

import base64
import io
import threading

import numpy as np
import pytest
import soundfile as sf

from audiorouter.tools import load_audio
from audiorouter.tools.audio import Clip
from audiorouter.tools.errors import AudioInputError

SECONDS_PER_INPUT = 20.0


def _wav_like(fmt: str, subtype: str | None = None) -> bytes:
    t = np.arange(8000) / 16_000
    buffer = io.BytesIO()
    sf.write(buffer, (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), 16_000, format=fmt,
             subtype=subtype)
    return buffer.getvalue()


def corpus() -> list[tuple[str, object]]:
    """(name, input) pairs, deterministic: cut, flipped and spliced files of every format,
    random bytes and strings, odd arrays and rates, wrong types."""
    rng = np.random.default_rng(0)
    files = {"wav": _wav_like("WAV"), "flac": _wav_like("FLAC"), "ogg": _wav_like("OGG"),
             "wav24": _wav_like("WAV", "PCM_24"), "wavf": _wav_like("WAV", "FLOAT")}
    out: list[tuple[str, object]] = []
    for name, data in files.items():
        for cut in (0, 1, 4, 11, 12, 36, 43, 44, 45, 100, len(data) // 2, len(data) - 1):
            out.append((f"{name} cut at {cut}", data[:cut]))
        for i in range(12):
            flipped = bytearray(data)
            for pos in rng.integers(0, min(64, len(data)), size=3):
                flipped[pos] ^= 1 << int(rng.integers(8))
            out.append((f"{name} header bits flipped #{i}", bytes(flipped)))
        out.append((f"{name} twice", data + data))
        out.append((f"{name} as base64", base64.b64encode(data).decode()))
        out.append((f"{name} as data URI", "data:audio/x;base64," + base64.b64encode(data).decode()))
        out.append((f"{name} as data URI cut", "data:audio/x;base64," + base64.b64encode(data).decode()[:300]))
    for i in range(40):
        junk = rng.integers(0, 256, size=int(rng.integers(1, 5000)), dtype=np.uint8).tobytes()
        out.append((f"random bytes #{i}", junk))
        out.append((f"RIFF + random #{i}", b"RIFF" + junk))
    for i in range(20):
        text = "".join(chr(int(c)) for c in rng.integers(32, 127, size=int(rng.integers(1, 400))))
        out.append((f"random text #{i}", text))
    out += [("empty string", ""), ("spaces", "   "), ("data URI no comma", "data:audio/wav;base64"),
            ("data URI not base64", "data:audio/wav,hello"), ("data URI image", "data:image/png;base64,AAAA"),
            ("long invalid base64", "A" * 300 + "!"), ("clip ref unknown", "clip:" + "0" * 20),
            ("clip ref escape", "clip:../../x"), ("url", "http://example.com/a.wav"),
            ("file url", "file:///etc/passwd"), ("dir", "/tmp"), ("missing", "/no/such/file.wav"),
            ("dev null", "/dev/null"), ("proc", "/proc/self/status"), ("proc mem", "/proc/self/mem")]
    arrays = [np.zeros(0, np.float32), np.zeros((0, 2), np.float32), np.zeros((2, 3, 4), np.float32),
              np.full(1600, np.nan, np.float32), np.full(1600, np.inf, np.float32),
              np.full(1600, 1e30, np.float32), np.ones(1600, bool), np.ones(1600, np.complex64),
              np.array(["a"] * 10), np.ones((9, 16000), np.float32), np.ones((100, 100), np.float32),
              np.ones(1600, np.uint8), np.ones(1600, np.int64), np.ones(3, np.float64)]
    rates = [16_000, 0, -1, 1, 2.5, 1e12, float("nan"), float("inf"), "fast", None, [16_000]]
    for a, array in enumerate(arrays):
        for rate in rates:
            out.append((f"array #{a} at {rate!r}", (array, rate)))
    out += [("None", None), ("int", 7), ("float", 1.5), ("list", [0.1, 0.2]), ("dict empty", {}),
            ("dict array no rate", {"array": [0.1] * 100}), ("dict path missing", {"path": "/no"}),
            ("tuple of three", (np.zeros(10), 16_000, 1)), ("bytearray", bytearray(b"RIFF")),
            ("memoryview", memoryview(b"RIFF")), ("object", object())]
    return out


CORPUS = corpus()


def test_the_corpus_is_large():
    assert len(CORPUS) >= 300


@pytest.mark.parametrize("name, audio", CORPUS, ids=[n for n, _ in CORPUS])
def test_every_input_gives_a_clip_or_a_typed_error_in_bounded_time(name, audio):
    box: dict = {}

    def load() -> None:
        try:
            box["clip"] = load_audio(audio)
        except AudioInputError as exc:
            box["typed"] = exc
        except BaseException as exc:  # noqa: BLE001 - the failure this test looks for
            box["other"] = exc

    worker = threading.Thread(target=load, daemon=True)
    worker.start()
    worker.join(SECONDS_PER_INPUT)
    assert not worker.is_alive(), f"{name}: still running after {SECONDS_PER_INPUT} s"
    assert "other" not in box, f"{name}: {type(box['other']).__name__}: {box['other']}"
    if "clip" in box:
        clip = box["clip"]
        assert isinstance(clip, Clip) and clip.samples.size > 0
        assert np.isfinite(clip.samples).all() and np.abs(clip.samples).max() <= 1e6
    else:
        assert str(box["typed"]), f"{name}: an error without a message"

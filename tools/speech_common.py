"""What the speech tools share: the Silero VAD shipped inside faster-whisper, time spans.

`detect_speech` reports the VAD's segments, `analyze_speakers` embeds them and `transcribe`
skips Whisper when there are none (Whisper invents text on silence and noise), so all three
read speech through this one function with the same defaults.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, Field

from .audio import SAMPLE_RATE

# Defaults measured on the speech benchmark (evals/benchmarks/tools/speech.py): boundaries within
# a few tens of ms of the truth, no speech found in noise or music.
VAD_THRESHOLD = 0.5
MIN_SPEECH_MS = 250
MIN_SILENCE_MS = 300
SPEECH_PAD_MS = 30
# Longest list any speech tool returns, so evidence stays compact.
MAX_ITEMS = 50


class TimeSpan(BaseModel):
    """A stretch of the recording, in seconds from its start."""

    start_s: float = Field(description="start, seconds from the beginning of the audio")
    end_s: float = Field(description="end, seconds from the beginning of the audio")


def speech_segments(samples: np.ndarray, *, threshold: float = VAD_THRESHOLD,
                    min_speech_ms: int = MIN_SPEECH_MS, min_silence_ms: int = MIN_SILENCE_MS,
                    pad_ms: int = SPEECH_PAD_MS) -> list[tuple[float, float]]:
    """Speech stretches (start, end) in seconds of 16 kHz mono audio, by Silero VAD v6.

    faster-whisper loads its ONNX session once per process (`get_vad_model` is cached).
    """
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    options = VadOptions(threshold=threshold, min_speech_duration_ms=min_speech_ms,
                         min_silence_duration_ms=min_silence_ms, speech_pad_ms=pad_ms)
    audio = np.ascontiguousarray(samples, dtype=np.float32)
    stamps = get_speech_timestamps(audio, options, sampling_rate=SAMPLE_RATE)
    return [(s["start"] / SAMPLE_RATE, s["end"] / SAMPLE_RATE) for s in stamps]


def span(start: float, end: float) -> TimeSpan:
    return TimeSpan(start_s=round(start, 2), end_s=round(end, 2))

"""`count_events`: how many discrete sounds (hits, knocks, beeps, clicks) and when.

Candidates measured on 240 clips (2 seeds x 120) of real hydrogen drum hits (mixed or one
repeated sample), sine beeps and clicks, 1-12 events 0.25-0.6 s apart, half of them with
white noise from t=0 at 10-25 dB SNR; exact-count rate clean / noisy, seconds per audio s:

* this detector: 0.98-1.00 / 0.98-1.00, ~0.005 s/s (0.94 at 3-10 dB SNR with events
  0.15-0.3 s apart);
* librosa onset_strength + adaptive peak picking: 0.70-0.75 / 0.85-0.97, 0.02 s/s (a beep's
  end reads as a second onset); librosa.onset.onset_detect itself segfaults in this venv
  (numba gufunc in librosa.util.peak_pick);
* essentia OnsetDetection + Onsets (complex or hfc, also at 44.1 kHz): 0.67-0.92 / 0.37-0.45;
* frame-energy rises with a floor: 0.93 / 0.92.

The detector: spectral flux of a 24-band log-mel spectrogram (32 ms frames every 10 ms,
smoothed over 3 frames) in which every band is first raised to its own background level
(20th percentile + 6 dB, at most 80 dB below the loudest band). Steady noise, the noise
starting at t=0 included, then has no flux; a sound only counts while the total level is
rising, so the end of a beep or the ringing of a decay never reads as a new event.

Syllables are sound events too, so where the Silero VAD of the speech tools hears speech, each
event is placed before, during, between or after it: "7 sound events ...; 4 during speech,
3 after it" says what a listener would, without knowing what was asked.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

import numpy as np
from pydantic import Field

from .audio import SAMPLE_RATE, Clip
from .base import ToolArgs, ToolOutput, audio_tool
from .dsp import MAX_ITEMS, frame_db, frames, magnitude_spectrum, mel_filterbank, power_db
from .speech_common import TimeSpan, span, speech_segments

N_FFT, HOP, N_BANDS = 512, 160, 24
FRAME_S = HOP / SAMPLE_RATE
SMOOTH_FRAMES = 3
BACKGROUND_PERCENTILE, BACKGROUND_MARGIN_DB = 20, 6.0
# Range kept below the loudest band level: a hit out of digital silence would otherwise rise
# ~100 dB and dwarf a hit over the previous one's decay (measured: fewer missed hits).
DYNAMIC_RANGE_DB = 80.0
# Weakest flux (mean dB rise per band) that can be an event at all, whatever the clip.
MIN_FLUX_DB = 0.25
LEVEL_WINDOW_S = 0.5
# The VAD's segments start late and end early on some voices: a syllable's onset up to this
# far outside a segment still counts as during it (chosen on 80 clips of voices with hits
# before and after, seed 12345: 0.89 exact; 0.1 s before and none after: 0.69).
SPEECH_LEAD_S, SPEECH_TAIL_S = 0.3, 0.1

Position = Literal["before", "during", "between", "after"]


class CountEventsArgs(ToolArgs):
    """Count discrete sound events (hits, knocks, beeps, clicks, claps) and time them."""

    min_gap_s: float = Field(0.1, ge=0.02, le=2.0,
                             description="onsets closer than this (seconds) are one event")
    sensitivity: float = Field(0.9, ge=0.0, le=1.0,
                               description="0-1; higher also counts events much weaker than "
                                           "the strongest one (0.9: down to a tenth of its "
                                           "onset strength)")


class EventCount(ToolOutput):
    count: int = Field(description="number of events")
    onsets_s: list[float] = Field(description="onset times in seconds (first 50)")
    levels_db: list[float] = Field(description="peak level of each event, dBFS (first 50)")
    mean_interval_s: float | None = Field(description="mean time between onsets")
    interval_std_s: float | None = Field(description="standard deviation of those intervals")
    regularity: float | None = Field(
        description="1 - coefficient of variation of the intervals (1 = perfectly even; "
                    "needs 3+ events)")
    rate_per_min: float | None = Field(description="events per minute from the mean interval")
    speech: TimeSpan | None = Field(
        None, description="from the start of the first to the end of the last speech the VAD "
                          "hears (None: no speech)")
    relative_to_speech: list[Position] | None = Field(
        None, description="where each event falls against that speech: before it, during a "
                          "speech segment (syllables count as events), between two segments "
                          "or after it (first 50; None: no speech)")

    def describe(self) -> str:
        """The count as 'N sound events', their spacing, then how many fall before, during
        and after speech; onset times and the speech's span (`detect_speech`'s) stay in the
        fields, keeping ten tools' summaries near 250 tokens."""
        if self.count == 0:
            return "no distinct sound events"
        if self.count == 1:
            text = f"1 sound event, at {self.onsets_s[0]:.1f} s"
        else:
            text = f"{self.count} sound events from {self.onsets_s[0]:.1f} s"
            if self.mean_interval_s is not None:
                text += f", one every {self.mean_interval_s:.2f} s"
        if self.relative_to_speech is None:
            return text
        parts = []
        for position in ("before", "during", "between", "after"):
            n = self.relative_to_speech.count(position)  # type: ignore[arg-type]
            if n:
                where = (f"{position} speech" if not parts else
                         f"{position} its parts" if position == "between" else f"{position} it")
                parts.append(f"{n} {where}")
        return f"{text}; {', '.join(parts)}"


@cache
def _bands() -> np.ndarray:
    return mel_filterbank(N_FFT, N_BANDS, 30.0, SAMPLE_RATE / 2)


def onset_envelope(samples: np.ndarray) -> np.ndarray:
    """Flux above the background per 10 ms frame (frame i centred at i * 10 ms), in dB."""
    from scipy.ndimage import uniform_filter1d

    x = np.pad(np.asarray(samples, dtype=np.float32), (N_FFT // 2, N_FFT // 2))
    window = np.hanning(N_FFT).astype(np.float32)
    power = magnitude_spectrum(frames(x, N_FFT, HOP) * window, N_FFT) ** 2 @ _bands()
    level = power_db(uniform_filter1d(power, SMOOTH_FRAMES, axis=0, mode="nearest"))
    background = np.maximum(np.percentile(level, BACKGROUND_PERCENTILE, axis=0)
                            + BACKGROUND_MARGIN_DB, level.max() - DYNAMIC_RANGE_DB)
    level = np.maximum(level, background)
    flux = np.maximum(np.diff(level, axis=0, prepend=level[:1]), 0.0).mean(axis=1)
    total = power_db(np.sum(10 ** (level / 10), axis=1))
    rising = total - np.concatenate([total[:1], total[:1], total[:-2]]) > 0
    return np.where(rising, flux, 0.0)


def pick_onsets(envelope: np.ndarray, threshold: float, min_gap_frames: int) -> list[int]:
    """Local maxima above `threshold`, strongest first, none within `min_gap_frames`."""
    inner = envelope[1:-1]
    peaks = np.flatnonzero((inner >= envelope[:-2]) & (inner > envelope[2:]) &
                           (inner > threshold)) + 1
    blocked = np.zeros(len(envelope), dtype=bool)
    kept: list[int] = []
    for i in peaks[np.argsort(-envelope[peaks], kind="stable")]:
        if not blocked[i]:
            kept.append(int(i))
            blocked[max(i - min_gap_frames + 1, 0):i + min_gap_frames] = True
    return sorted(kept)


def place_against_speech(times: list[float], segments: list[tuple[float, float]]
                          ) -> list[Position]:
    """Each onset before, during, between or after the speech segments (sorted, seconds)."""
    placed: list[Position] = []
    for t in times:
        if t < segments[0][0] - SPEECH_LEAD_S:
            placed.append("before")
        elif any(start - SPEECH_LEAD_S <= t <= end + SPEECH_TAIL_S for start, end in segments):
            placed.append("during")
        elif t > segments[-1][1] + SPEECH_TAIL_S:
            placed.append("after")
        else:
            placed.append("between")
    return placed


def event_levels(samples: np.ndarray, onsets: list[int]) -> list[float]:
    """Loudest 20 ms frame of each event, up to the next onset or 0.5 s later (dBFS)."""
    db = frame_db(np.pad(samples, (N_FFT // 2, N_FFT // 2)), 2 * HOP, HOP)
    ends = [*onsets[1:], len(db)]
    span = int(LEVEL_WINDOW_S / FRAME_S)
    return [round(float(db[i:max(min(end, i + span), i + 1)].max()), 1)
            for i, end in zip(onsets, ends)]


@audio_tool(name="count_events", args=CountEventsArgs, output=EventCount, version="5",
            description="Counts discrete sound events (drum hits, knocks, beeps, clicks, "
                        "claps, footsteps) and gives their onset times, levels and the "
                        "spacing between them (mean interval, regularity, rate), and how "
                        "many fall before, during and after speech. Use for 'how many "
                        "times', 'how many beeps', 'is the rhythm steady'.",
            time_budget_s=10)
def count_events(clip: Clip, args: CountEventsArgs) -> EventCount:
    envelope = onset_envelope(clip.samples)
    threshold = max((1.0 - args.sensitivity) * float(envelope.max(initial=0.0)), MIN_FLUX_DB)
    onsets = pick_onsets(envelope, threshold, max(int(round(args.min_gap_s / FRAME_S)), 1))
    times = [round(i * FRAME_S, 3) for i in onsets]
    intervals = np.diff(times)
    mean = float(intervals.mean()) if len(intervals) else None
    std = float(intervals.std()) if len(intervals) else None
    regular = max(0.0, 1.0 - std / mean) if len(intervals) >= 2 and mean else None
    segments = speech_segments(clip.samples) if times else []
    return EventCount(count=len(times), onsets_s=times[:MAX_ITEMS],
                      levels_db=event_levels(clip.samples, onsets)[:MAX_ITEMS],
                      mean_interval_s=None if mean is None else round(mean, 3),
                      interval_std_s=None if std is None else round(std, 3),
                      regularity=None if regular is None else round(regular, 3),
                      rate_per_min=None if not mean else round(60.0 / mean, 1),
                      speech=span(segments[0][0], segments[-1][1]) if segments else None,
                      relative_to_speech=(place_against_speech(times[:MAX_ITEMS], segments)
                                          if segments else None))

"""Frame levels and what they say: the background noise, which stretches are silent and which
are sounds.

`measure_loudness` reports these silences and gives each sound its loudness; `tag_sounds`
names each sound. Both cut the clip the same way because both read it through here: 20 ms
frames every 10 ms, a frame silent when far below the loudest frame, under -70 dBFS, or
(in a noisy recording) near the background.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .audio import SAMPLE_RATE
from .dsp import frames, mask_segments, power_db

FRAME, FRAME_HOP = 320, 160  # 20 ms frames every 10 ms
FRAME_S, HOP_S = FRAME / SAMPLE_RATE, FRAME_HOP / SAMPLE_RATE
# Frames quieter than this are silent whatever the rest of the clip does.
DIGITAL_SILENCE_DBFS = -70.0
SILENCE_BELOW_DB, MIN_SILENCE_S = 40.0, 0.3
# The background: frames near the 5th-percentile level; below -90 dBFS there is none.
BACKGROUND_PERCENTILE, BACKGROUND_WIDTH_DB, NO_BACKGROUND_DBFS = 5, 3.0, -90.0
# Frame levels spread less than this (90th - 5th percentile): one steady sound, no SNR.
STEADY_SPREAD_DB = 5.0
# Where the louder frames stand this far above the background, frames within the margin of
# it are background noise alone, i.e. silence between sounds in a noisy recording
# (tests/test_measure_loudness.py: sounds at 20 and 30 dB SNR are cut apart, at 10 dB they are not).
FOREGROUND_DB, NOISE_MARGIN_DB = 15.0, 6.0
# Sounds shorter than this (a click between silences) are not counted.
MIN_SOUND_S = 0.05


@dataclass(frozen=True)
class FrameLevels:
    """Which of a clip's 20 ms frames are silent, and its background."""

    silent: np.ndarray
    background_dbfs: float | None
    snr_db: float | None
    duration_s: float


def frame_levels(x: np.ndarray, silence_below_db: float = SILENCE_BELOW_DB) -> FrameLevels:
    x = np.asarray(x, dtype=np.float64)
    power = np.mean(np.square(frames(x, FRAME, FRAME_HOP)), axis=1)
    db = power_db(power)
    level, snr = background(power, float(np.mean(np.square(x))) if len(x) else 0.0)
    silent = (db < DIGITAL_SILENCE_DBFS) | (db < db.max() - silence_below_db)
    if level is not None and np.percentile(db, 90) - level >= FOREGROUND_DB:
        silent |= db < level + NOISE_MARGIN_DB  # background noise alone counts as silence
    return FrameLevels(silent, level, snr, len(x) / SAMPLE_RATE)


def background(frame_power: np.ndarray, total_power: float) -> tuple[float | None, float | None]:
    """(background level dBFS, SNR dB) from the quietest 20 ms frames.

    The background is the mean power of the frames within 3 dB of the 5th-percentile
    level (measured on speech, drum hits, beeps and music mixed with white and recorded
    noise at 0-30 dB: within 1.5 dB on average). The SNR is (clip power - background) /
    background, so it needs the foreground to pause for a twentieth of the clip; a clip
    whose level hardly changes (a steady tone, noise alone) has no separate background.
    """
    db = power_db(frame_power)
    low = np.percentile(db, BACKGROUND_PERCENTILE)
    noise = float(np.mean(frame_power[db <= low + BACKGROUND_WIDTH_DB]))
    level = float(power_db(noise))
    if level < NO_BACKGROUND_DBFS:
        return None, None
    if np.percentile(db, 90) - low < STEADY_SPREAD_DB:
        return round(level, 1), None
    snr = float(power_db(max(total_power - noise, 1e-30) / noise))
    return round(level, 1), round(snr, 1)


def silence_spans(levels: FrameLevels, min_silence_s: float = MIN_SILENCE_S) -> list[tuple[float, float]]:
    """Silent stretches of at least `min_silence_s`, (start, end) seconds."""
    return mask_segments(levels.silent, HOP_S, frame_s=FRAME_S, min_duration_s=min_silence_s,
                         total_s=levels.duration_s)


def sound_spans(levels: FrameLevels, min_silence_s: float = MIN_SILENCE_S) -> list[tuple[float, float]]:
    """The stretches between silences (pauses shorter than `min_silence_s` bridged)."""
    return mask_segments(~levels.silent, HOP_S, frame_s=FRAME_S, max_gap_s=min_silence_s,
                         min_duration_s=MIN_SOUND_S, total_s=levels.duration_s)

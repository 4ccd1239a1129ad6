"""`measure_loudness`: how loud, each sound's level and length, silences, noise and clipping.

Loudness is ITU-R BS.1770 (pyloudnorm 0.2.0): integrated (gated) loudness in LUFS and the
momentary loudness of 400 ms blocks every 100 ms, which gives the loudest and quietest
moments and a loudness curve. Silences and the background level come from 20 ms frame
levels (`tools.levels`); the sounds are the stretches between those silences, each with its
own integrated loudness, so "which of the four is quietest" and "how long is the beep" are
read off one list instead of joined from onsets and a loudness curve. The SNR is the clip's
power above that background over the background, the same definition `data.synth.signals.mix` uses.
Clipping is read from the original samples before resampling (`Clip.clipped_fraction`,
`Clip.original_peak`).
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, Field

from .audio import SAMPLE_RATE, Clip
from .base import ToolArgs, ToolOutput, audio_tool, ordinal
from .dsp import MAX_ITEMS, FLOOR_DB, Segment, power_db, segment
from .levels import MIN_SILENCE_S, SILENCE_BELOW_DB, frame_levels, silence_spans, sound_spans

BLOCK_S, BLOCK_STEP_S = 0.4, 0.1  # BS.1770 momentary blocks, 75% overlap
GATE_LUFS = -70.0  # BS.1770 absolute gate: quieter blocks count as silence
CLIPPING_FRACTION = 1e-4
# Sounds spelled out in the summary; the output's list keeps up to MAX_ITEMS.
DESCRIBED_SOUNDS = 8


class MeasureLoudnessArgs(ToolArgs):
    """Measure loudness (LUFS), its changes over time, silences, noise level and clipping."""

    hop_s: float = Field(0.5, ge=0.1, le=10.0,
                         description="step of the loudness-over-time list, seconds (raised "
                                     "so the list has at most 50 points)")
    silence_below_db: float = Field(SILENCE_BELOW_DB, ge=10.0, le=90.0,
                                    description="a 20 ms frame is silent when it is this many "
                                                "dB below the loudest frame (or under -70 dBFS, "
                                                "or within 6 dB of a background noise the "
                                                "sounds stand 15 dB above)")
    min_silence_s: float = Field(MIN_SILENCE_S, ge=0.05, le=10.0,
                                 description="shortest silence reported, seconds")


class LoudnessPoint(BaseModel):
    time_s: float = Field(description="centre of the 400 ms block, seconds")
    lufs: float = Field(description="momentary loudness, LUFS (-70 = silence)")


class Sound(Segment):
    lufs: float | None = Field(description="integrated loudness of this sound, LUFS "
                                           "(None: below -70 LUFS)")


class Loudness(ToolOutput):
    integrated_lufs: float | None = Field(
        description="BS.1770 integrated loudness, LUFS; None when all is below -70 LUFS")
    first_half_lufs: float | None = Field(description="integrated loudness of the first half")
    second_half_lufs: float | None = Field(description="integrated loudness of the second half")
    loudest: LoudnessPoint = Field(description="loudest 400 ms block")
    quietest: LoudnessPoint = Field(description="quietest 400 ms block")
    sounds: list[Sound] = Field(description="the stretches between silences, in order, each "
                                            "with its loudness (first 50)")
    over_time: list[LoudnessPoint] = Field(description="momentary loudness at a fixed step")
    hop_s: float = Field(description="step of over_time, seconds")
    silences: list[Segment] = Field(description="silent stretches (first 50)")
    silent_s: float = Field(description="total silent time, seconds")
    background_dbfs: float | None = Field(
        description="background (noise floor) level, dBFS; None for digital silence")
    snr_db: float | None = Field(
        description="clip power above the background over the background power, dB; "
                    "None without a background or when the level is steady throughout")
    peak_dbfs: float = Field(description="sample peak of the original audio, dBFS")
    clipped_fraction: float = Field(description="share of original samples at full scale")
    clipping: bool = Field(description="True when at least 0.01% of samples are at full scale")

    def describe(self) -> str:
        """Each sound's length and level in order and which is loudest and quietest, then
        noise and clipping only when present: the moments, halves and silences stay in the
        structured fields (prompts pay for every token)."""
        if self.integrated_lufs is None:
            return "silent (below -70 LUFS)"
        parts = [_describe_sounds(self.sounds) if self.sounds
                 else f"{self.integrated_lufs:.0f} LUFS integrated"]
        if self.snr_db is not None:
            parts.append(f"background noise {self.background_dbfs:.0f} dBFS (SNR {self.snr_db:.0f} dB)")
        if self.clipping:
            parts.append(f"CLIPPING on {self.clipped_fraction:.2%} of samples")
        return "; ".join(parts)


def _fmt(lufs: float | None, unit: str = " LUFS") -> str:
    return "silent" if lufs is None else f"{lufs:.0f}{unit}"


def _describe_sounds(sounds: list[Sound]) -> str:
    """Each sound's length and level in order, then which is loudest and quietest."""
    if len(sounds) == 1:
        s = sounds[0]
        return (f"one sound lasting {s.duration_s:.1f} s (from {s.start_s:.1f} to "
                f"{s.end_s:.1f} s), {_fmt(s.lufs)}")
    shown = sounds[:DESCRIBED_SOUNDS]
    # The unit once, on the first level given: the rest read on the same scale.
    unit_at = next((i for i, s in enumerate(shown) if s.lufs is not None), 0)
    listed = ", ".join(f"{ordinal(i)} {s.duration_s:.1f} s {_fmt(s.lufs, ' LUFS' if i == unit_at else '')}"
                       for i, s in enumerate(shown))
    more = f", +{len(sounds) - DESCRIBED_SOUNDS} more" if len(sounds) > DESCRIBED_SOUNDS else ""
    text = f"{len(sounds)} sounds: {listed}{more}"
    levels = [(s.lufs if s.lufs is not None else GATE_LUFS, i) for i, s in enumerate(sounds)]
    (top, loud), (bottom, quiet) = max(levels), min(levels)
    if top - bottom >= 1.0:  # within 1 LU the order says nothing
        # "the second quietest" would read as the runner-up: the superlative comes first.
        text += (f"; loudest the {ordinal(loud)}, quietest the {ordinal(quiet)} "
                 f"({top - bottom:.0f} dB apart)")
    else:
        text += "; all about equally loud"
    return text


def sounds_with_levels(x: np.ndarray, spans: list[tuple[float, float]]) -> list[Sound]:
    """Each sound's own integrated loudness, so levels compare sound against sound."""
    out = []
    for start, end in spans[:MAX_ITEMS]:
        lufs = block_loudness(x[int(start * SAMPLE_RATE):int(end * SAMPLE_RATE)])[0]
        out.append(Sound(**segment(start, end).model_dump(),
                         lufs=None if lufs is None else round(lufs, 1)))
    return out


def block_loudness(x: np.ndarray) -> tuple[float | None, np.ndarray]:
    """(integrated LUFS or None, momentary LUFS of each 400 ms block every 100 ms).

    A clip shorter than one block is zero-padded to one and its loudness corrected for
    the padding, i.e. the K-weighted mean square over the clip itself.
    """
    import pyloudnorm

    n_block = int(BLOCK_S * SAMPLE_RATE)
    correction = 10 * np.log10(n_block / len(x)) if len(x) < n_block else 0.0
    padded = np.pad(np.asarray(x, dtype=np.float64), (0, max(0, n_block - len(x))))
    meter = pyloudnorm.Meter(SAMPLE_RATE, block_size=BLOCK_S)  # per call: it keeps state
    with np.errstate(divide="ignore"):
        integrated = float(meter.integrated_loudness(padded)) + correction
        blocks = np.asarray(meter.blockwise_loudness, dtype=np.float64) + correction
    blocks = np.maximum(np.nan_to_num(blocks, nan=GATE_LUFS, neginf=GATE_LUFS), GATE_LUFS)
    return (round(integrated, 2) if np.isfinite(integrated) and integrated > GATE_LUFS
            else None), blocks


def _point(blocks: np.ndarray, i: int, duration: float) -> LoudnessPoint:
    centre = min(i * BLOCK_STEP_S + BLOCK_S / 2, duration / 2 if len(blocks) == 1 else duration)
    return LoudnessPoint(time_s=round(centre, 2), lufs=round(float(blocks[i]), 1))


def loudness_curve(blocks: np.ndarray, hop_s: float, duration: float) -> tuple[float, list[LoudnessPoint]]:
    """Every k-th block so the step is >= `hop_s` and there are at most MAX_ITEMS points."""
    step = max(int(round(hop_s / BLOCK_STEP_S)), int(np.ceil(len(blocks) / MAX_ITEMS)), 1)
    return round(step * BLOCK_STEP_S, 2), [_point(blocks, i, duration)
                                          for i in range(0, len(blocks), step)]


@audio_tool(name="measure_loudness", args=MeasureLoudnessArgs, output=Loudness, version="6",
            description="Loudness and levels: integrated loudness (LUFS, BS.1770), each "
                        "sound between silences with its start, end, length and loudness "
                        "(which is loudest and quietest), loudness over time, first vs second "
                        "half, silent stretches, background noise level and SNR, peak and "
                        "clipping. Use for 'which sound is louder/quieter', 'how long does the "
                        "sound last', 'is there silence', 'how noisy', 'is it distorted/clipped'.",
            time_budget_s=10)
def measure_loudness(clip: Clip, args: MeasureLoudnessArgs) -> Loudness:
    x = clip.samples
    integrated, blocks = block_loudness(x)
    half = len(x) // 2
    first, second = (block_loudness(x[:half])[0], block_loudness(x[half:])[0]) if half else (None, None)
    hop, curve = loudness_curve(blocks, args.hop_s, clip.duration)
    levels = frame_levels(x, args.silence_below_db)
    spans = silence_spans(levels, args.min_silence_s)
    peak = float(power_db(clip.original_peak ** 2)) if clip.original_peak > 0 else FLOOR_DB
    return Loudness(integrated_lufs=integrated, first_half_lufs=first, second_half_lufs=second,
                    loudest=_point(blocks, int(np.argmax(blocks)), clip.duration),
                    quietest=_point(blocks, int(np.argmin(blocks)), clip.duration),
                    sounds=sounds_with_levels(x, sound_spans(levels, args.min_silence_s))
                    if integrated is not None else [],
                    over_time=curve, hop_s=hop,
                    silences=[segment(s, e) for s, e in spans[:MAX_ITEMS]],
                    silent_s=round(sum(e - s for s, e in spans), 2),
                    background_dbfs=levels.background_dbfs, snr_db=levels.snr_db,
                    peak_dbfs=round(peak, 2),
                    clipped_fraction=round(clip.clipped_fraction, 5),
                    clipping=clip.clipped_fraction >= CLIPPING_FRACTION)

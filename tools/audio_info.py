"""`audio_info`: what the file is — duration, original rate and channels, levels."""

from __future__ import annotations

import numpy as np
from pydantic import Field

from .audio import Clip
from .base import ToolArgs, ToolOutput, audio_tool


class AudioInfoArgs(ToolArgs):
    """No arguments: basic facts about the recording."""


class AudioInfo(ToolOutput):
    duration_s: float = Field(description="length in seconds")
    original_sample_rate: int = Field(description="sample rate of the input before resampling")
    channels: int = Field(description="channel count of the input (the analysis uses a mono mix)")
    peak_dbfs: float = Field(description="peak level of the original, dB full scale")
    rms_dbfs: float = Field(description="average (RMS) level, dB full scale")
    clipped_fraction: float = Field(description="share of original samples at full scale")

    def describe(self) -> str:
        ch = {1: "mono", 2: "stereo"}.get(self.channels, f"{self.channels} channels")
        clip = f", clipping on {self.clipped_fraction:.1%} of samples" if self.clipped_fraction > 1e-4 else ""
        return (f"{self.duration_s:.1f} s, {ch}, {self.original_sample_rate / 1000:g} kHz, RMS "
                f"{self.rms_dbfs:.0f}, peak {self.peak_dbfs:.0f} dBFS{clip}")


def dbfs(amplitude: float) -> float:
    """Amplitude (1.0 = full scale) in dB full scale, floored at -120 dB for silence."""
    return round(float(20 * np.log10(max(amplitude, 1e-6))), 2)


@audio_tool(name="audio_info", args=AudioInfoArgs, output=AudioInfo, version="4",
            description="Duration, original sample rate, channel count, peak and RMS level of "
                        "the recording. Cheap; use for questions about length or level.",
            time_budget_s=5)
def audio_info(clip: Clip, args: AudioInfoArgs) -> AudioInfo:
    rms = float(np.sqrt(np.mean(np.square(clip.samples, dtype=np.float64))))
    return AudioInfo(duration_s=round(clip.duration, 3),
                     original_sample_rate=clip.original_sample_rate,
                     channels=clip.original_channels, peak_dbfs=dbfs(clip.original_peak),
                     rms_dbfs=dbfs(rms), clipped_fraction=round(clip.clipped_fraction, 5))

"""`detect_speech`: where people talk — speech segments by Silero VAD (the ONNX model that
ships inside faster-whisper)."""

from __future__ import annotations

from pydantic import Field

from .audio import Clip
from .base import ToolArgs, ToolOutput, audio_tool
from .speech_common import (MAX_ITEMS, MIN_SILENCE_MS, MIN_SPEECH_MS, VAD_THRESHOLD, TimeSpan,
                            span, speech_segments)


class DetectSpeechArgs(ToolArgs):
    """Find the stretches of speech in the recording."""

    threshold: float = Field(VAD_THRESHOLD, ge=0.05, le=0.95,
                             description="speech probability above which a frame is speech; "
                                         "lower finds quiet or distant speech, higher ignores "
                                         "more noise")
    min_speech_duration_ms: int = Field(MIN_SPEECH_MS, ge=0, le=5000,
                                        description="drop speech segments shorter than this")
    min_silence_duration_ms: int = Field(MIN_SILENCE_MS, ge=50, le=5000,
                                         description="a pause must last this long to split "
                                                     "two segments")


class SpeechActivity(ToolOutput):
    speech_s: float = Field(description="total seconds of speech")
    speech_ratio: float = Field(description="share of the recording that is speech, 0-1")
    segment_count: int = Field(description="number of speech segments")
    segments: list[TimeSpan] = Field(description=f"speech segments (first {MAX_ITEMS})")
    longest_pause_s: float = Field(description="longest silence between two speech segments "
                                               "(0 with fewer than two segments)")
    duration_s: float = Field(description="length of the recording in seconds")

    def describe(self) -> str:
        if not self.segment_count:
            return f"no speech detected in {self.duration_s:.1f} s"
        first, last = self.segments[0], self.segments[-1]
        if self.segment_count == 1:
            return (f"speech {first.start_s:.1f}-{first.end_s:.1f} s ({self.speech_s:.1f} s, "
                    f"{self.speech_ratio:.0%})")
        return (f"speech in {self.segment_count} parts, {first.start_s:.1f}-{last.end_s:.1f} s, "
                f"{self.speech_s:.1f} s in all ({self.speech_ratio:.0%}); longest pause "
                f"{self.longest_pause_s:.1f} s")


@audio_tool(name="detect_speech", args=DetectSpeechArgs, output=SpeechActivity, version="4",
            description="Voice activity detection (Silero VAD): whether anyone speaks, when "
                        "(start/end of each speech segment), total speech time, speech share "
                        "and pauses. Fast; use for 'is there speech', 'when does the speaker "
                        "start', 'how long is the pause'.",
            time_budget_s=20)
def detect_speech(clip: Clip, args: DetectSpeechArgs) -> SpeechActivity:
    found = speech_segments(clip.samples, threshold=args.threshold,
                            min_speech_ms=args.min_speech_duration_ms,
                            min_silence_ms=args.min_silence_duration_ms)
    speech = sum(end - start for start, end in found)
    pauses = [b[0] - a[1] for a, b in zip(found, found[1:])]
    return SpeechActivity(speech_s=round(speech, 2),
                          speech_ratio=round(speech / clip.duration, 3),
                          segment_count=len(found),
                          segments=[span(s, e) for s, e in found[:MAX_ITEMS]],
                          longest_pause_s=round(max(pauses, default=0.0), 2),
                          duration_s=round(clip.duration, 2))

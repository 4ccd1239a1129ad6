"""`analyze_speakers`: who speaks when — voice embeddings (resemblyzer) of the VAD's speech,
clustered into speakers, with each speaker's talk time and typical pitch (Praat)."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, Field

from .audio import SAMPLE_RATE, Clip
from .base import ToolArgs, ToolOutput, audio_tool, load_once, ordinal
from .speech_common import MAX_ITEMS, TimeSpan, speech_segments

# Tuned on the DEV voices of evals/benchmarks/tools/speech.py: speaker count right on 46 of 48
# conversations at 0.25-0.275 (0.875 at 0.35, 0.67 at 0.2); held-out voices peak at 0.25.
DISTANCE_THRESHOLD = 0.27
# Speech is embedded in pieces of at most this length: long enough for a stable embedding,
# short enough that a segment holding two speakers is split between them.
MAX_PIECE_S = 3.0
PITCH_FLOOR_HZ, PITCH_CEILING_HZ = 60.0, 500.0
_TARGET_DBFS = -30.0  # the level resemblyzer's encoder was trained at
# Gender from pitch: the geometric mean of typical adult male (120 Hz) and female (210 Hz)
# median f0, and the logistic slope of two quarter-octave-wide log-normal classes.
GENDER_BOUNDARY_HZ = 159.0
GENDER_SLOPE_PER_OCTAVE = 12.8
GENDER_MIN_CONFIDENCE = 0.7


class AnalyzeSpeakersArgs(ToolArgs):
    """Count the speakers and say who speaks when (speaker diarization)."""

    distance_threshold: float = Field(
        DISTANCE_THRESHOLD, ge=0.05, le=1.0,
        description="cosine distance between voice embeddings above which two stretches "
                    "belong to different speakers; lower finds more speakers")
    num_speakers: int | None = Field(None, ge=1, le=10,
                                     description="the number of speakers, if known; leave "
                                                 "empty to estimate it")


class SpeakerTurn(TimeSpan):
    speaker: str = Field(description="speaker label, S1 being the first to speak")


class SpeakerSummary(BaseModel):
    speaker: str = Field(description="speaker label")
    talk_s: float = Field(description="total seconds this speaker talks")
    share: float = Field(description="share of all speech, 0-1")
    turns: int = Field(description="number of turns")
    median_f0_hz: float | None = Field(description="typical pitch (median f0) in Hz; None when "
                                                   "no voiced speech was found")
    gender: Literal["male", "female"] | None = Field(
        None, description="the voice's likely gender from its pitch; None when unclear")
    gender_confidence: float | None = Field(
        None, description="probability of that reading, 0.5-1 (see `estimate_gender`)")


class SpeakerAnalysis(ToolOutput):
    speaker_count: int = Field(description="number of distinct speakers (0: no speech)")
    speakers: list[SpeakerSummary] = Field(description=f"per speaker, in order of first turn "
                                                       f"(first {MAX_ITEMS})")
    turns: list[SpeakerTurn] = Field(description=f"who speaks when (first {MAX_ITEMS} turns)")
    turn_count: int = Field(description="number of turns (consecutive speech by one speaker)")
    speech_s: float = Field(description="total seconds of speech")

    def describe(self) -> str:
        """The count first, then each voice in speaking order with its gender and pitch, then
        which voice is lowest and highest: what 'how many', 'a man or a woman' and 'whose
        voice is lowest' ask, stated rather than left to infer from numbers."""
        if not self.speaker_count:
            return "no speech, so no speakers"
        if self.speaker_count == 1:
            return f"1 speaker, {_voice(self.speakers[0])}"
        voices = ", ".join(f"{ordinal(i)} {_voice(s)}" for i, s in enumerate(self.speakers[:6]))
        more = f", +{self.speaker_count - 6} more" if self.speaker_count > 6 else ""
        return (f"{self.speaker_count} speakers, in order of speaking: {voices}{more}"
                f"{_pitch_order(self.speakers)}")


def _voice(speaker: SpeakerSummary) -> str:
    if speaker.median_f0_hz is None:
        return "voice of unknown pitch"
    gender = f"{speaker.gender} " if speaker.gender else ""
    return f"{gender}voice {speaker.median_f0_hz:.0f} Hz"


def _pitch_order(speakers: list[SpeakerSummary]) -> str:
    """Which voice is lowest and highest, named by speaking order as questions name them."""
    pitched = sorted((i for i, s in enumerate(speakers) if s.median_f0_hz is not None),
                     key=lambda i: speakers[i].median_f0_hz)
    if len(pitched) < 2:
        return ""
    return (f"; lowest voice the {ordinal(pitched[0])} speaker, highest voice the "
            f"{ordinal(pitched[-1])} speaker")


def estimate_gender(f0_hz: float | None) -> tuple[str | None, float | None]:
    """('male' | 'female', confidence) from a voice's median f0, or (None, None) when the
    pitch is unknown or too close to the boundary to say (confidence under `GENDER_MIN_CONFIDENCE`).

    Two log-normal classes (adult male f0 around 120 Hz, female around 210 Hz, both about a
    quarter octave wide) meet at `GENDER_BOUNDARY_HZ`; the logistic of the distance from it in
    octaves is the posterior with equal priors. Children and falsetto read as female.
    """
    if f0_hz is None or f0_hz <= 0:
        return None, None
    p_female = 1.0 / (1.0 + np.exp(-GENDER_SLOPE_PER_OCTAVE * np.log2(f0_hz / GENDER_BOUNDARY_HZ)))
    confidence = round(float(max(p_female, 1 - p_female)), 2)
    if confidence < GENDER_MIN_CONFIDENCE:
        return None, confidence
    return ("female" if p_female > 0.5 else "male"), confidence


@load_once
def voice_encoder() -> Any:
    """resemblyzer's GE2E speaker encoder (weights inside the wheel), on CPU, once."""
    import warnings

    with warnings.catch_warnings():  # webrtcvad, imported by resemblyzer, uses pkg_resources
        warnings.simplefilter("ignore", UserWarning)
        from resemblyzer import VoiceEncoder
    return VoiceEncoder("cpu", verbose=False)


@audio_tool(name="analyze_speakers", args=AnalyzeSpeakersArgs, output=SpeakerAnalysis,
            version="3",
            description="Speaker diarization: how many different people speak, who speaks "
                        "when (turns with start/end and speaker label), each speaker's talk "
                        "time, typical pitch (median f0, Hz) and likely gender, the lowest and "
                        "highest voice. Use for 'how many speakers', 'who talks most', 'is it a "
                        "dialogue', 'does a man or a woman speak first', 'whose voice is "
                        "lowest/highest'.",
            time_budget_s=90)
def analyze_speakers(clip: Clip, args: AnalyzeSpeakersArgs) -> SpeakerAnalysis:
    pieces = speech_pieces(speech_segments(clip.samples))
    if not pieces:
        return SpeakerAnalysis(speaker_count=0, speakers=[], turns=[], turn_count=0, speech_s=0.0)
    embeddings = embed_pieces(clip.samples, pieces)
    labels = cluster(embeddings, args.distance_threshold, args.num_speakers)
    return _summarise(clip.samples, pieces, labels)


def speech_pieces(segments: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Cut each speech segment into equal pieces of at most MAX_PIECE_S."""
    pieces = []
    for start, end in segments:
        n = int(np.ceil((end - start) / MAX_PIECE_S))
        edges = np.linspace(start, end, n + 1)
        pieces += [(float(a), float(b)) for a, b in zip(edges, edges[1:])]
    return pieces


def embed_pieces(samples: np.ndarray, pieces: list[tuple[float, float]]) -> np.ndarray:
    """One L2-normed 256-d voice embedding per piece, after levelling the speech to -30 dBFS
    (the encoder reads a power, not log, mel spectrogram, so level matters)."""
    encoder = voice_encoder()
    audio = [samples[int(a * SAMPLE_RATE):int(b * SAMPLE_RATE)] for a, b in pieces]
    rms = np.sqrt(np.mean(np.concatenate(audio).astype(np.float64) ** 2))
    gain = 10 ** (_TARGET_DBFS / 20) / max(rms, 1e-6)
    return np.stack([encoder.embed_utterance((x * gain).astype(np.float32)) for x in audio])


def cluster(embeddings: np.ndarray, threshold: float, num_speakers: int | None) -> np.ndarray:
    """Average-linkage agglomerative clustering on cosine distance: labels 0.. by first use."""
    from scipy.cluster.hierarchy import fcluster, linkage

    if len(embeddings) == 1:
        return np.zeros(1, dtype=int)
    tree = linkage(embeddings, method="average", metric="cosine")
    if num_speakers is not None:
        raw = fcluster(tree, t=min(num_speakers, len(embeddings)), criterion="maxclust")
    else:
        raw = fcluster(tree, t=threshold, criterion="distance")
    first_use = {label: i for i, label in reversed(list(enumerate(raw)))}
    order = {label: rank for rank, label in enumerate(sorted(first_use, key=first_use.get))}
    return np.array([order[label] for label in raw])


def _summarise(samples: np.ndarray, pieces: list[tuple[float, float]],
               labels: np.ndarray) -> SpeakerAnalysis:
    turns = _merge_turns(pieces, labels)
    total = sum(b - a for a, b in pieces)
    speakers = []
    for k in range(int(labels.max()) + 1):
        mine = [p for p, label in zip(pieces, labels) if label == k]
        talk = sum(b - a for a, b in mine)
        f0 = median_f0(samples, mine)
        gender, confidence = estimate_gender(f0)
        speakers.append(SpeakerSummary(
            speaker=f"S{k + 1}", talk_s=round(talk, 2), share=round(talk / total, 3),
            turns=sum(1 for t in turns if t[2] == k), median_f0_hz=f0, gender=gender,
            gender_confidence=confidence))
    return SpeakerAnalysis(
        speaker_count=len(speakers), speakers=speakers[:MAX_ITEMS],
        turns=[SpeakerTurn(start_s=round(a, 2), end_s=round(b, 2), speaker=f"S{k + 1}")
               for a, b, k in turns[:MAX_ITEMS]],
        turn_count=len(turns), speech_s=round(total, 2))


def _merge_turns(pieces: list[tuple[float, float]],
                 labels: np.ndarray) -> list[tuple[float, float, int]]:
    """Consecutive pieces of one speaker become one turn (pauses inside a turn included)."""
    turns: list[tuple[float, float, int]] = []
    for (start, end), label in zip(pieces, labels):
        if turns and turns[-1][2] == label:
            turns[-1] = (turns[-1][0], end, int(label))
        else:
            turns.append((start, end, int(label)))
    return turns


def median_f0(samples: np.ndarray, pieces: list[tuple[float, float]]) -> float | None:
    """Median f0 (Hz) over the voiced frames of `pieces`, Praat autocorrelation, 60-500 Hz."""
    import parselmouth

    audio = np.concatenate([samples[int(a * SAMPLE_RATE):int(b * SAMPLE_RATE)]
                            for a, b in pieces]).astype(np.float64)
    pitch = parselmouth.Sound(audio, sampling_frequency=SAMPLE_RATE).to_pitch_ac(
        time_step=0.01, pitch_floor=PITCH_FLOOR_HZ, pitch_ceiling=PITCH_CEILING_HZ)
    f0 = pitch.selected_array["frequency"]
    voiced = f0[f0 > 0]
    return round(float(np.median(voiced)), 1) if voiced.size else None

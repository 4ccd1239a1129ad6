"""`analyze_speakers`: who speaks when — voice embeddings (resemblyzer) of the VAD's speech,
clustered into speakers, with each speaker's talk time, typical pitch (Praat) and likely gender.

Gender is read from pitch alone: from the median f0 and the bottom of the speaking range
together, because an expressive voice's median moves with what it says (a man reading digits
glides from 240 Hz down to 75 Hz within one word; his median varies from 106 to 182 Hz
between digit strings, while his 10th percentile stays at 72-77 Hz). The speaker embedding was
measured as a second cue and left out: trained on the labelled voices this machine has (five
Asterisk telephone speakers, four flite voices), a leave-one-voice-out centroid direction
separates telephone from wideband recordings, not women from men, and puts the one male
telephone speaker on the female side.
"""

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
# Pieces shorter than this (a single word between pauses) embed unreliably: resemblyzer reads
# 1.6 s windows, so a 0.5 s digit is mostly padding. When the count is estimated they join the
# nearest speaker found in longer pieces instead of founding speakers of their own. On real
# speakers reading digits (30 Asterisk strings, 5 languages) one voice came back as one speaker
# 28 times of 29 instead of 23; on 48 dev-voice conversations the count was right as often (43).
# The cost: someone who only ever says one short word is not counted.
MIN_CLUSTERED_PIECE_S = 1.0
PITCH_FLOOR_HZ, PITCH_CEILING_HZ = 60.0, 500.0
_TARGET_DBFS = -30.0  # the level resemblyzer's encoder was trained at
# Gender from pitch. Typical adult median f0 is 120 Hz for men and 210 Hz for women (boundary:
# their geometric mean, 159 Hz). Read speech spreads about 4 semitones (SD) around its median,
# so the 10th percentile lies ~5 semitones below it and the geometric mean of the two, the
# statistic used, ~2.5 semitones below: 159 Hz * 2**(-2.5/12) = 137 Hz. Slope: the logistic of
# two quarter-octave-wide log-normal classes.
GENDER_BOUNDARY_HZ = 137.0
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
    low_f0_hz: float | None = Field(None, description="bottom of the speaking range (10th "
                                                      "percentile of f0) in Hz")
    gender: Literal["male", "female"] | None = Field(
        None, description="the voice's likely gender from its pitch (median and bottom of "
                          "range); None when unclear")
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


def estimate_gender(median_f0_hz: float | None,
                    low_f0_hz: float | None) -> tuple[str | None, float | None]:
    """('male' | 'female', confidence) from a voice's median f0 and the bottom of its range
    (10th percentile); (None, None) when the pitch is unknown, (None, confidence) when it is
    too close to the boundary to say (confidence under `GENDER_MIN_CONFIDENCE`).

    The statistic is the geometric mean of the two: the median carries the voice's level, the
    low end its floor, which intonation moves less. Two log-normal classes of it meet at
    `GENDER_BOUNDARY_HZ`; the logistic of the distance from it in octaves is the posterior
    with equal priors. Children and falsetto read as female.
    """
    if median_f0_hz is None or low_f0_hz is None or min(median_f0_hz, low_f0_hz) <= 0:
        return None, None
    speaking_f0 = np.sqrt(median_f0_hz * low_f0_hz)
    p_female = 1.0 / (1.0 + np.exp(-GENDER_SLOPE_PER_OCTAVE
                                   * np.log2(speaking_f0 / GENDER_BOUNDARY_HZ)))
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
            version="4",
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
    if args.num_speakers is None:
        labels = cluster_by_long_pieces(embeddings, [b - a for a, b in pieces],
                                        args.distance_threshold)
    else:
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
    return _by_first_use(raw)


def cluster_by_long_pieces(embeddings: np.ndarray, durations: list[float],
                           threshold: float) -> np.ndarray:
    """`cluster` the pieces of at least MIN_CLUSTERED_PIECE_S, then give each shorter piece
    the speaker whose mean embedding is nearest (cosine); all pieces alike when none or all
    are long."""
    long = np.array(durations) >= MIN_CLUSTERED_PIECE_S
    if long.all() or not long.any():
        return cluster(embeddings, threshold, None)
    long_labels = cluster(embeddings[long], threshold, None)
    centroids = np.stack([embeddings[long][long_labels == k].mean(axis=0)
                          for k in range(int(long_labels.max()) + 1)])
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
    labels = np.empty(len(embeddings), dtype=int)
    labels[long] = long_labels
    labels[~long] = np.argmax(embeddings[~long] @ centroids.T, axis=1)
    return _by_first_use(labels)


def _by_first_use(raw: np.ndarray) -> np.ndarray:
    """Relabel 0, 1, ... in order of first appearance."""
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
        f0, low = pitch_range(samples, mine)
        gender, confidence = estimate_gender(f0, low)
        speakers.append(SpeakerSummary(
            speaker=f"S{k + 1}", talk_s=round(talk, 2), share=round(talk / total, 3),
            turns=sum(1 for t in turns if t[2] == k), median_f0_hz=f0, low_f0_hz=low,
            gender=gender, gender_confidence=confidence))
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


def pitch_range(samples: np.ndarray,
                pieces: list[tuple[float, float]]) -> tuple[float | None, float | None]:
    """(median, 10th percentile) of f0 in Hz over the voiced frames of `pieces`, Praat
    autocorrelation, 60-500 Hz; (None, None) without voiced frames."""
    import parselmouth

    audio = np.concatenate([samples[int(a * SAMPLE_RATE):int(b * SAMPLE_RATE)]
                            for a, b in pieces]).astype(np.float64)
    pitch = parselmouth.Sound(audio, sampling_frequency=SAMPLE_RATE).to_pitch_ac(
        time_step=0.01, pitch_floor=PITCH_FLOOR_HZ, pitch_ceiling=PITCH_CEILING_HZ)
    f0 = pitch.selected_array["frequency"]
    voiced = f0[f0 > 0]
    if not voiced.size:
        return None, None
    return round(float(np.median(voiced)), 1), round(float(np.percentile(voiced, 10)), 1)

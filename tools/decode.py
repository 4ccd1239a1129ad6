"""Decoding: a file or bytes in any container we read becomes samples and their rate, refused
early (from the header or the container's duration) when longer than the caller's limit.

libsndfile reads WAV, FLAC, OGG and friends; PyAV (installed with faster-whisper) the formats
it lacks, such as MP3 and M4A, decoding only as far as the limit allows.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf

from .errors import (
    AudioDecodeError,
    AudioTooLongError,
    EmptyAudioError,
    TruncatedAudioError,
    UnsupportedAudioFormatError,
)

# Magic bytes of containers we read: a file that starts like one of these but fails to
# decode is corrupt; anything else is simply not audio we know.
MAGIC = (b"RIFF", b"fLaC", b"OggS", b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2", b"FORM",
         b"\x1aE\xdf\xa3", b"caff", b".snd")


def check_header(source: Path | bytes, what: str, limit: float) -> None:
    """Refuse, from the header alone, a file longer than ``limit`` and a file cut short (its
    header declares more data than it holds: decoding would silently return the start)."""
    try:
        info = sf.info(io.BytesIO(source) if isinstance(source, bytes) else str(source))
    except Exception:  # not readable by libsndfile: the full decode path will say why
        return
    if (data := _wav_data_bytes(info)) and data[0] > data[1]:
        raise TruncatedAudioError(
            f"cut-short audio ({what}): its header declares {data[0]} bytes of audio but only "
            f"{data[1]} are there ({info.duration:.2f} s of it); copy or download it again")
    check_length(info, limit)


def _wav_data_bytes(info: Any) -> tuple[int, int] | None:
    """A WAV header's declared data size and the bytes actually there (libsndfile notes
    "(should be N)" when they differ); None for other formats."""
    found = re.search(r"^data\s*:\s*(\d+)(?:\s*\(should be (\d+)\))?", info.extra_info, re.MULTILINE)
    return (int(found[1]), int(found[2] or found[1])) if found else None


def check_length(info: Any, limit: float) -> None:
    """Refuse what a header (soundfile's info) declares to be longer than ``limit``: a WAV's
    data size even when only its start is at hand, else the frame count."""
    data = _wav_data_bytes(info)
    align = re.search(r"Block Align\s*:\s*(\d+)", info.extra_info)
    frames = data[0] / int(align[1]) if data and align and int(align[1]) else info.frames
    if info.samplerate and frames / info.samplerate > limit:
        raise AudioTooLongError(too_long(frames / info.samplerate, limit))


def too_long(seconds: float, limit: float) -> str:
    return (f"audio is {seconds:.1f} s long, over the {limit:.0f} s maximum: trim it, or raise "
            "the limit with max_seconds=... or the AUDIOROUTER_MAX_SECONDS environment variable")


def decode(data: bytes | Path, what: str, limit: float) -> tuple[np.ndarray, int]:
    """Decode a whole file to (frames, channels) float32; libsndfile first (its header was
    checked against ``limit``), then ffmpeg (PyAV), which stops at the limit."""
    try:
        source = io.BytesIO(data) if isinstance(data, bytes) else str(data)
        frames, rate = sf.read(source, dtype="float32", always_2d=True)
        return frames, int(rate)
    except Exception as sf_error:
        try:
            return _decode_with_av(data, limit)
        except AudioTooLongError:
            raise
        except Exception as av_error:
            head = data[:16] if isinstance(data, bytes) else _head(data)
            if not head:
                raise EmptyAudioError(f"{what} is empty (0 bytes): nothing to decode") from None
            if any(head.startswith(m) or m in head[:12] for m in MAGIC):
                raise AudioDecodeError(
                    f"{what} looks like audio but could not be decoded (corrupt or truncated?): "
                    f"{sf_error}; ffmpeg: {av_error}") from None
            raise UnsupportedAudioFormatError(
                f"{what} is not in an audio format AudioRouter can read: give wav, flac, ogg, "
                "mp3 or another format ffmpeg decodes") from None


def _head(path: Path) -> bytes:
    with open(path, "rb") as f:
        return f.read(16)


def _decode_with_av(data: bytes | Path, limit: float) -> tuple[np.ndarray, int]:
    """Decode with ffmpeg, bounded: a container that declares a length over ``limit`` is
    refused before decoding, and decoding stops once it passes the limit (a 3 MB file can
    hold hours of compressed audio)."""
    import av  # installed with faster-whisper; only needed for formats libsndfile lacks

    with av.open(io.BytesIO(data) if isinstance(data, bytes) else str(data)) as container:
        stream = next((s for s in container.streams if s.type == "audio"), None)
        if stream is None:
            raise ValueError("no audio stream")
        if container.duration and container.duration / av.time_base > limit:
            raise AudioTooLongError(too_long(container.duration / av.time_base, limit))
        rate = stream.rate or stream.codec_context.sample_rate
        resampler = av.AudioResampler(format="fltp")
        chunks, decoded = [], 0
        for frame in container.decode(stream):
            for out in resampler.resample(frame):
                chunks.append(out.to_ndarray())
                decoded += chunks[-1].shape[1]
            if rate and decoded / rate > limit:
                raise AudioTooLongError(too_long(decoded / rate, limit) + " (decoding stopped "
                                        "there)")
    if not chunks:
        raise ValueError("no audio frames")
    return np.concatenate(chunks, axis=1).T.astype(np.float32), int(rate)

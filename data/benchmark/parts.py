"""Building blocks several skills render: speech at a measured rate, short melodies, and
drum loops played from the real hydrogen one-shots.

Drum loops are built here rather than with `synth.drum_loop` because that one plays FluidR3's
GM kits, which share samples; the hydrogen kits are distinct recordings and can be split.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

import numpy as np
import soundfile as sf

from audiorouter.tools.audio import SAMPLE_RATE

from .. import synth
from .audio import active_seconds, fit, load, normalize

_RATE_TOLERANCE = 0.04


def speak_at_rate(text: str, voice: str, wpm: float) -> tuple[np.ndarray, float]:
    """`text` spoken at `wpm` words per minute as measured (words over the sounding span).

    The synthesizers' nominal rate is off by up to 50% depending on voice and text, so it is
    corrected from the measurement (two or three renders). espeak-ng goes no slower than
    80 wpm nominal, which some voices and texts measure at 130: what is left is closed by
    stretching time with sox (WSOLA, pitch kept).
    """
    words = len(text.split())
    rate = wpm
    for _ in range(3):
        audio = synth.speak(text, voice=voice, rate_wpm=rate)
        measured = 60.0 * words / active_seconds(audio)
        if abs(measured / wpm - 1) <= _RATE_TOLERANCE:
            return audio, measured
        rate *= wpm / measured
    audio = _stretch(audio, wpm / measured)
    measured = 60.0 * words / active_seconds(audio)
    if abs(measured / wpm - 1) > 2 * _RATE_TOLERANCE:
        raise RuntimeError(f"{voice} cannot speak at {wpm} wpm (got {measured:.0f})")
    return audio, measured


def _stretch(audio: np.ndarray, speed: float) -> np.ndarray:
    """`audio` played `speed` times faster at the same pitch (sox tempo, speech mode)."""
    sox = shutil.which("sox")
    if sox is None:
        raise RuntimeError("`sox` is not installed: apt-get install sox")
    with tempfile.TemporaryDirectory(prefix="bench-sox-") as tmp:
        src, out = Path(tmp) / "in.wav", Path(tmp) / "out.wav"
        sf.write(src, audio, SAMPLE_RATE, subtype="FLOAT")
        # -D: no dither, so the output is the same on every run.
        subprocess.run([sox, "-D", str(src), "-e", "floating-point", str(out),
                        "tempo", "-s", f"{speed:.4f}"], check=True, capture_output=True,
                       timeout=60)
        stretched, _ = sf.read(out, dtype="float32")
    return synth.fade(normalize(stretched))


def melody_keys(rng: np.random.Generator, low: int, high: int, n: int) -> list[int]:
    """A random walk of `n` MIDI keys in [low, high], steps of 1-4 semitones."""
    key = int(rng.integers(low, high + 1))
    keys = [key]
    for _ in range(n - 1):
        step = int(rng.integers(1, 5)) * (1 if rng.random() < 0.5 else -1)
        key = key + step if low <= key + step <= high else key - step
        keys.append(key)
    return keys


def melody(program: int, keys: list[int], note_s: float) -> np.ndarray:
    """`keys` one after another on GM `program`, legato, peak-normalised."""
    notes = [synth.Note(synth.LEAD_S + i * note_s, note_s * 0.9, k, 100)
             for i, k in enumerate(keys)]
    return synth.fade(normalize(synth.render_notes(notes, program=program)))


# Instrument names of the loop roles in hydrogen kits ("Kick", "BassDrum", "Hat Closed Bs").
_ROLES = {
    "kick": re.compile(r"kick|bass ?drum|\bbd\b", re.IGNORECASE),
    "snare": re.compile(r"snare(?!.*rim)", re.IGNORECASE),
    "hat": re.compile(r"closed.*\b(hh|hat)|\b(hh|hat)\b.*closed", re.IGNORECASE),
}


@cache
def kit_roles(kit: str) -> dict[str, Path]:
    """{kick, snare, hat: the loudest sample} of a hydrogen kit; empty if one is missing."""
    instruments = synth.hydrogen_kits()[kit]
    roles = {}
    for role, pattern in _ROLES.items():
        names = sorted(name for name in instruments if pattern.search(name))
        if not names:
            return {}
        roles[role] = instruments[names[0]][-1]
    return roles


def one_shot(path: Path) -> np.ndarray:
    """A drum sample from its attack on, at most 1 s, peak 0.8."""
    x = load(path)
    start = int(np.argmax(np.abs(x) > 0.1 * np.max(np.abs(x))))
    return synth.fade(normalize(x[max(start - 32, 0): start + SAMPLE_RATE], 0.8), fade_in=False)


def drum_loop(kit: str, bpm: float, seconds: float, rng: np.random.Generator) -> np.ndarray:
    """A 4/4 groove at exactly `bpm` on a hydrogen kit, cut to `seconds`.

    Kick on 1 and 3 (sometimes syncopated), snare on 2 and 4, closed hats on the eighths,
    accented on the beat; every hat is choked at the next one.
    """
    samples = {role: one_shot(path) for role, path in kit_roles(kit).items()}
    if not samples:
        raise ValueError(f"hydrogen kit {kit!r} has no kick, snare and closed hat")
    eighth = 30.0 / bpm
    out = np.zeros(int((seconds + 1.5) * SAMPLE_RATE), dtype=np.float32)

    def add(role: str, t: float, gain: float, max_s: float = 1.0) -> None:
        start = int(round(t * SAMPLE_RATE))
        piece = samples[role][: int(max_s * SAMPLE_RATE)]
        out[start:start + len(piece)] += gain * synth.fade(piece, ms=5, fade_in=False)

    for e in range(int((seconds - synth.LEAD_S) / eighth) + 1):
        t, pos = synth.LEAD_S + e * eighth, e % 8
        add("hat", t, float(rng.uniform(0.6, 0.8) if pos % 2 == 0 else rng.uniform(0.3, 0.5)),
            max_s=eighth - 0.01)
        if pos in (0, 4) or (pos in (5, 7) and rng.random() < 0.3):
            add("kick", t, float(rng.uniform(0.85, 1.0)))
        if pos in (2, 6):
            add("snare", t, float(rng.uniform(0.85, 1.0)))
    return fit(normalize(out), seconds)

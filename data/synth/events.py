"""Sound events at known onset times: real hydrogen drum hits, beeps and clicks."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from functools import cache, lru_cache
from pathlib import Path
from typing import Literal

import numpy as np

from audiorouter.tools.audio import SAMPLE_RATE

from .signals import LEAD_S, fade, load, normalize, silence, tone
from .system import data_file

HYDROGEN_DIR = Path("/usr/share/hydrogen/data/drumkits")

# Instruments whose sample is a single clean strike: rolls, shakers, open cymbals with long
# tails, fx and the unnamed "Sample: ..." slots are left out of `hits`.
_ONE_SHOT = re.compile(r"\b(kick|bass ?drum|bd\b|snare|tom|clap|stick|rim|cowbell|conga|bongo|"
                       r"djembe|cajon|closed|agogo|woodblock|clave|snap)", re.IGNORECASE)
_NOT_ONE_SHOT = re.compile(r"roll|flam|shake|maraca|tamb|open|ride|crash|china|splash|fx|"
                           r"sample|brush|swirl", re.IGNORECASE)


@cache
def hydrogen_kits() -> dict[str, dict[str, list[Path]]]:
    """{kit folder: {instrument name: [sample paths, softest velocity layer first]}}.

    Reads every hydrogen drumkit.xml (namespaced or not, layered or the old single
    <filename> form); samples that are missing on disk are skipped.
    """
    root = data_file(HYDROGEN_DIR, "hydrogen-drumkits")
    kits = {}
    for xml in sorted(root.glob("*/drumkit.xml")):
        instruments = _parse_drumkit(xml)
        if instruments:
            kits[xml.parent.name] = instruments
    return kits


def _parse_drumkit(xml: Path) -> dict[str, list[Path]]:
    """{instrument name: sample paths} of one drumkit.xml."""
    tree = ET.parse(xml).getroot()
    for element in tree.iter():
        element.tag = element.tag.rpartition("}")[2]
    instruments: dict[str, list[Path]] = {}
    for inst in tree.iter("instrument"):
        name = (inst.findtext("name") or "").strip()
        layers = inst.findall(".//layer") or [inst]
        layers = sorted(layers, key=lambda layer: float(layer.findtext("min") or 0))
        paths = [xml.parent / f for layer in layers if (f := layer.findtext("filename"))]
        paths = [p for p in paths if p.is_file() and p.stem != "emptySample"]
        if name and paths:
            instruments.setdefault(name, []).extend(paths)
    return instruments


def hits(n: int, *, rng: np.random.Generator, gap_range_s: tuple[float, float] = (0.25, 0.6),
         sr: int = SAMPLE_RATE, kit: str | None = None, instrument: str | None = None,
         each_different: bool = False) -> tuple[np.ndarray, list[float]]:
    """`n` real one-shot drum hits at known onset times (seconds).

    `kit` is a hydrogen kit folder name, `instrument` an instrument name or a word that
    starts one, case-insensitive ("kick", "tom"); unset, they are drawn from the rng. With
    `each_different`, every hit draws its own instrument (and velocity layer), otherwise all
    hits repeat one sample. Inter-onset intervals are uniform in `gap_range_s`; each hit is
    choked just before the next onset so the hits never pile up.
    """
    pool = _hit_pool(kit, instrument)
    kit_name = str(rng.choice(sorted(pool)))
    samples = pool[kit_name]
    names = sorted(samples)
    first = samples[str(rng.choice(names))]
    chosen: list[Path] = []
    for _ in range(n):
        if each_different:
            paths = samples[str(rng.choice(names))]
            chosen.append(paths[int(rng.integers(len(paths)))])
        else:
            chosen.append(first[int(rng.integers(len(first)))])
    sounds = [_one_shot(path, sr) for path in chosen]
    return _place(sounds, rng, gap_range_s, sr)


def _hit_pool(kit: str | None, instrument: str | None) -> dict[str, dict[str, list[Path]]]:
    """The kits (and their instruments) `hits` may draw from."""
    kits = hydrogen_kits()
    if kit is not None and kit not in kits:
        raise ValueError(f"unknown hydrogen kit {kit!r}: use one of {sorted(kits)}")
    pool = {}
    for name, instruments in kits.items():
        if kit is not None and name != kit:
            continue
        if instrument is None:
            picked = {i: p for i, p in instruments.items()
                      if _ONE_SHOT.search(i) and not _NOT_ONE_SHOT.search(i)}
        elif instrument in instruments:
            picked = {instrument: instruments[instrument]}
        else:  # a word start: "tom" is "Tom Low" or "tomhi2", not "Ride (Custom, ...)"
            word = re.compile(rf"\b{re.escape(instrument)}", re.IGNORECASE)
            picked = {i: p for i, p in instruments.items() if word.search(i)}
        if picked:
            pool[name] = picked
    if not pool:
        raise ValueError(f"no hydrogen instrument matches {instrument!r} in "
                         f"{kit or 'any kit'}")
    return pool


@lru_cache(maxsize=512)
def _one_shot_cached(path: Path, sr: int) -> np.ndarray:
    """Decoding is the slow part of `hits`; a benchmark draws the same samples often."""
    x = load(path, sr)
    start = int(np.argmax(np.abs(x) > 0.1 * np.max(np.abs(x))))
    x = x[max(start - int(0.002 * sr), 0):]  # keep 2 ms before the attack
    return normalize(x[: int(1.0 * sr)], 0.8)


def _one_shot(path: Path, sr: int) -> np.ndarray:
    """A drum sample from its attack on, at most 1 s long, peak 0.8."""
    return _one_shot_cached(path, sr).copy()


def _place(sounds: list[np.ndarray], rng: np.random.Generator,
           gap_range_s: tuple[float, float], sr: int) -> tuple[np.ndarray, list[float]]:
    """Put `sounds` one after another with random inter-onset intervals; return onsets."""
    low, high = gap_range_s
    if not sounds:
        raise ValueError("need at least one event")
    if not 0 < low <= high:
        raise ValueError(f"gap_range_s must be 0 < low <= high, not {gap_range_s}")
    gaps = rng.uniform(low, high, size=max(len(sounds) - 1, 0))
    onsets = LEAD_S + np.concatenate([[0.0], np.cumsum(gaps)])
    # Each sound is choked (30 ms fade-out) 10 ms before the next onset, so every onset
    # rises out of near-silence.
    ends = np.append(onsets[1:] - 0.01, onsets[-1] + 1.0)
    out = silence(ends[-1] + LEAD_S, sr)
    for sound, onset, end in zip(sounds, onsets, ends):
        start = int(round(onset * sr))
        piece = fade(sound[: int(round((end - onset) * sr))], sr, ms=30, fade_in=False)
        out[start:start + len(piece)] += piece
    return fade(out, sr), [float(t) for t in onsets]


def events_clip(n: int, rng: np.random.Generator, kind: Literal["drum", "tone", "click"] = "drum",
                *, gap_range_s: tuple[float, float] = (0.25, 0.6),
                sr: int = SAMPLE_RATE) -> tuple[np.ndarray, list[float]]:
    """`n` separate sound events at known onset times, for count-the-events ground truth.

    "drum": real hydrogen hits (each a different instrument), "tone": 120 ms sine beeps of
    rng-drawn pitch, "click": 3 ms noise clicks.
    """
    if kind == "drum":
        return hits(n, rng=rng, gap_range_s=gap_range_s, sr=sr, each_different=True)
    if kind == "tone":
        sounds = [tone(float(rng.uniform(400, 1600)), 0.12, sr, 0.6) for _ in range(n)]
    elif kind == "click":
        sounds = [_click(rng, sr) for _ in range(n)]
    else:
        raise ValueError(f"kind must be 'drum', 'tone' or 'click', not {kind!r}")
    return _place(sounds, rng, gap_range_s, sr)


def _click(rng: np.random.Generator, sr: int) -> np.ndarray:
    """A 3 ms exponentially decaying noise burst."""
    n = max(int(0.003 * sr), 8)
    return (0.8 * rng.standard_normal(n) * np.exp(-np.arange(n) / (n / 4))).astype(np.float32)

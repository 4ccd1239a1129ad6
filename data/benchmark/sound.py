"""Sound skills: how many drum hits, which sound comes first or last, which sound is present,
which repetition is loudest or quietest, and how long a sound lasts.

Clips are built from six kinds of parts: speech (split voices; in test also the real ALSA
speaker), real drum hits (split hydrogen kits), a sine beep, white noise, a melody on a
sustained instrument (split programs) and a notification chime (split freedesktop sounds).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from audiorouter.tools.audio import SAMPLE_RATE

from .. import synth
from .audio import db, fit, join, load, normalize
from .parts import melody, melody_keys
from .skill import Draft, Rendered, Skill, pick, sample, shuffled
from .sources import (ALSA_SOURCE, SUSTAINED, Sources, chime_path, chime_source, kit_source,
                      phrase_path, program_source, text_source)
from .speech import ORDINALS

# Part kinds and how options name them.
KINDS = {"speech": "speech", "drums": "drum hits", "beep": "a steady beep",
         "noise": "hissing noise", "melody": "a melody on an instrument",
         "chime": "a notification chime"}
CHIME_MAX_S = 2.0
# Event-count clips all last this long, so the length says nothing about the count.
COUNT_CLIP_S = 7.0
DURATIONS_S = (0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0)


def _rounded(x: float, digits: int = 2) -> float:
    return round(float(x), digits)


def _gaps(rng: np.random.Generator, n: int) -> list[float]:
    return [_rounded(rng.uniform(0.3, 0.7)) for _ in range(n)]


def _part_spec(kind: str, rng: np.random.Generator, src: Sources) -> tuple[dict, list[str]]:
    """What one part of `kind` will be, and the sources it uses."""
    if kind == "speech":
        if src.recorded_phrases and rng.random() < 0.5:
            return {"kind": kind, "recording": pick(rng, src.recorded_phrases)}, [ALSA_SOURCE]
        voice, text = pick(rng, src.voices), pick(rng, src.sentences)
        return ({"kind": kind, "voice": voice.spec(), "text": text.text},
                [voice.source, text_source(text)])
    if kind == "drums":
        kit = pick(rng, src.kits)
        return {"kind": kind, "kit": kit, "hits": int(rng.integers(3, 6))}, [kit_source(kit)]
    if kind == "beep":
        return {"kind": kind, "freq_hz": _rounded(rng.uniform(300, 1500), 1),
                "seconds": _rounded(rng.uniform(0.5, 1.5))}, []
    if kind == "noise":
        return {"kind": kind, "seconds": _rounded(rng.uniform(0.5, 1.5))}, []
    if kind == "melody":
        program = pick(rng, src.families[pick(rng, SUSTAINED)])
        keys = melody_keys(rng, 60, 76, int(rng.integers(4, 7)))
        return {"kind": kind, "program": program, "keys": keys}, [program_source(program)]
    if kind == "chime":
        name = pick(rng, src.chimes)
        return {"kind": kind, "chime": name}, [chime_source(name)]
    raise ValueError(f"unknown part kind {kind!r}: use one of {list(KINDS)}")


def _part(spec: dict[str, Any], rng: np.random.Generator) -> np.ndarray:
    """Render one part, peak-normalised."""
    kind = spec["kind"]
    if kind == "speech" and "recording" in spec:
        audio = synth.fade(load(phrase_path(spec["recording"])))
    elif kind == "speech":
        audio = synth.speak(spec["text"], voice=spec["voice"])
    elif kind == "drums":
        audio = synth.hits(spec["hits"], rng=rng, kit=spec["kit"], each_different=True,
                           gap_range_s=(0.2, 0.35))[0]
    elif kind == "beep":
        audio = synth.tone(spec["freq_hz"], spec["seconds"])
    elif kind == "noise":
        audio = synth.white_noise(spec["seconds"], rng)
    elif kind == "melody":
        audio = melody(spec["program"], spec["keys"], 0.3)
    else:
        chime = load(chime_path(spec["chime"]))
        audio = fit(chime, min(len(chime) / SAMPLE_RATE, CHIME_MAX_S))
    return normalize(audio)


def _parts_draft(choices: list[str], answer: str, spec: dict[str, Any], kinds: list[str],
                 rng: np.random.Generator, src: Sources) -> Draft:
    """A draft whose clip is parts of `kinds` in order, with pauses between them."""
    drawn = [_part_spec(kind, rng, src) for kind in kinds]
    spec = {**spec, "parts": [part for part, _ in drawn], "gaps_s": _gaps(rng, len(kinds) - 1)}
    return Draft(choices, answer, spec, [s for _, ids in drawn for s in ids])


def _render_parts(spec: dict[str, Any], rng: np.random.Generator) -> Rendered:
    return join([_part(p, rng) for p in spec["parts"]], spec["gaps_s"]), {}


# --- event count --------------------------------------------------------------------------

def _draw_count(rng: np.random.Generator, src: Sources) -> Draft:
    """Options: four neighbouring counts from 2 to 10."""
    low = int(rng.integers(2, 8))
    choices = [str(n) for n in range(low, low + 4)]
    answer = pick(rng, choices)
    kit = pick(rng, src.kits)
    spec = {"count": int(answer), "kit": kit, "same_sound": bool(rng.random() < 0.5)}
    return Draft(choices, answer, spec, [kit_source(kit)])


def _render_count(spec: dict[str, Any], rng: np.random.Generator) -> Rendered:
    audio, onsets = synth.hits(spec["count"], rng=rng, kit=spec["kit"],
                               each_different=not spec["same_sound"])
    return fit(audio, COUNT_CLIP_S), {"onsets_s": [_rounded(t, 3) for t in onsets]}


# --- event order --------------------------------------------------------------------------

def _draw_order(rng: np.random.Generator, src: Sources) -> Draft:
    """Options: the four kinds that play; the one asked about is put first or last."""
    position = pick(rng, ("first", "last"))
    kinds = sample(rng, list(KINDS), 4)
    choices = [KINDS[k] for k in kinds]
    answer = pick(rng, choices)
    target = kinds[choices.index(answer)]
    rest = shuffled(rng, [k for k in kinds if k != target])
    order = [target, *rest] if position == "first" else [*rest, target]
    return _parts_draft(choices, answer, {"position": position, "order": order}, order, rng, src)


# --- sound presence -----------------------------------------------------------------------

def _draw_presence(rng: np.random.Generator, src: Sources) -> Draft:
    """Options: four kinds; the clip holds the answer and maybe one kind not offered."""
    kinds = sample(rng, list(KINDS), 4)
    choices = [KINDS[k] for k in kinds]
    answer = pick(rng, choices)
    present = [kinds[choices.index(answer)]]
    if rng.random() < 0.5:
        present = shuffled(rng, [*present, pick(rng, [k for k in KINDS if k not in kinds])])
    return _parts_draft(choices, answer, {"present": present}, present, rng, src)


# --- loudness -----------------------------------------------------------------------------

def _draw_loudness(rng: np.random.Generator, src: Sources) -> Draft:
    """One part four times; the one asked about is 6-10 dB beyond the other three."""
    extreme = pick(rng, ("loudest", "quietest"))
    choices = [f"the {o} sound" for o in ORDINALS]
    answer = pick(rng, choices)
    levels = [_rounded(x, 1) for x in rng.uniform(-8.0, 0.0, size=3)]
    margin = float(rng.uniform(6.0, 10.0))
    target = max(levels) + margin if extreme == "loudest" else min(levels) - margin
    levels.insert(choices.index(answer), _rounded(target, 1))
    part, ids = _part_spec(pick(rng, list(KINDS)), rng, src)
    spec = {"extreme": extreme, "levels_db": levels, "part": part, "gaps_s": _gaps(rng, 3)}
    return Draft(choices, answer, spec, ids)


def _render_loudness(spec: dict[str, Any], rng: np.random.Generator) -> Rendered:
    part = _part(spec["part"], rng)
    audio = join([db(part, level) for level in spec["levels_db"]], spec["gaps_s"])
    return normalize(audio), {}


# --- duration -----------------------------------------------------------------------------

def _draw_duration(rng: np.random.Generator, src: Sources) -> Draft:
    """Options: four durations 0.5 s apart; silence of random length around the sound."""
    start = int(rng.integers(len(DURATIONS_S) - 3))
    values = DURATIONS_S[start:start + 4]
    choices = [f"{v:.1f} seconds" for v in values]
    answer = pick(rng, choices)
    kind = pick(rng, ("beep", "noise"))
    part, _ = _part_spec(kind, rng, src)
    spec = {"sound": "beep" if kind == "beep" else "noise burst",
            "part": {**part, "seconds": values[choices.index(answer)]},
            "lead_s": _rounded(rng.uniform(0.3, 1.5)), "tail_s": _rounded(rng.uniform(0.3, 1.5))}
    return Draft(choices, answer, spec)


def _render_duration(spec: dict[str, Any], rng: np.random.Generator) -> Rendered:
    return np.concatenate([synth.silence(spec["lead_s"]), _part(spec["part"], rng),
                           synth.silence(spec["tail_s"])]), {}


SOUND_SKILLS = (
    Skill("event_count", "sound", "Counting", "event count",
          ("How many drum hits can you hear?", "How many times is a drum struck?",
           "Count the percussion hits. How many are there?"),
          _draw_count, _render_count),
    Skill("event_order", "sound", "Temporal Reasoning", "event order",
          ("Which sound comes {position}?",
           "Several different sounds play one after another. Which one is {position}?",
           "What is heard {position} in this clip?"),
          _draw_order, _render_parts),
    Skill("sound_presence", "sound", "Event Detection", "sound presence",
          ("Which of these sounds can be heard in the recording?",
           "One of these sounds occurs in the clip. Which one?",
           "What can you hear in this audio?"),
          _draw_presence, _render_parts, difficulty="easy"),
    Skill("loudness_order", "sound", "Comparison", "loudness comparison",
          ("The same sound plays four times. Which time is it {extreme}?",
           "Which of the four repetitions is the {extreme}?",
           "A sound is heard four times at different levels. Which one is {extreme}?"),
          _draw_loudness, _render_loudness, difficulty="easy"),
    Skill("duration", "sound", "Temporal Reasoning", "sound duration",
          ("How long does the {sound} last?", "What is the duration of the {sound}?",
           "About how long is the {sound}?"),
          _draw_duration, _render_duration),
)

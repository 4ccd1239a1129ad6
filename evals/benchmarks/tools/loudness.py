"""Benchmark tasks of measure_loudness: the loudest sound, each sound's level and length, the
louder half, silences, SNR and BS.1770 loudness, each known by construction."""

from __future__ import annotations

import numpy as np

from audiorouter.data import synth
from audiorouter.data.texts import TAGGING_SENTENCES
from audiorouter.tools.audio import SAMPLE_RATE as SR

from .sound import _MELODIC, _VOICES
from .tasks import Case, ToolTask


def _steady_part(rng: np.random.Generator, seconds: float | None = None) -> np.ndarray:
    """0.4-0.9 s (or `seconds`) of sound with sharp edges and no internal pause, at an RMS
    of 0.1."""
    seconds = float(rng.uniform(0.4, 0.9)) if seconds is None else seconds
    kind = int(rng.integers(3))
    if kind == 0:
        part = synth.tone(float(rng.uniform(300, 2000)), seconds)
    elif kind == 1:
        part = synth.white_noise(seconds, rng)
    else:
        chord = synth.chord_clip(int(rng.integers(48, 68)), "major", int(rng.choice(_MELODIC)),
                                 seconds + synth.LEAD_S + synth.RELEASE_S)
        start = int(synth.LEAD_S * SR)
        part = synth.fade(chord[start:start + int(seconds * SR)])
    return (part * (0.1 / np.sqrt(np.mean(part.astype(np.float64) ** 2)))).astype(np.float32)


def _word_part(rng: np.random.Generator) -> np.ndarray:
    """A real recorded digit (Asterisk prompts), trimmed, at an RMS of 0.1."""
    word = synth.asterisk_digits(str(int(rng.integers(10))), gap_s=0.0)
    return (word * (0.1 / np.sqrt(np.mean(word.astype(np.float64) ** 2)))).astype(np.float32)


def _part(rng: np.random.Generator) -> np.ndarray:
    return _word_part(rng) if rng.random() < 0.3 else _steady_part(rng)


def make_loudest_cases(rng: np.random.Generator, n: int) -> list[Case]:
    """3-5 sounds 0.5-1 s apart at equal RMS (+-2 dB), one of them 6-12 dB louder."""
    cases = []
    for i in range(n):
        parts = [_part(rng) * 10 ** (float(rng.uniform(-2, 2)) / 20)
                 for _ in range(int(rng.integers(3, 6)))]
        loud = int(rng.integers(len(parts)))
        boost = float(rng.uniform(6, 12))
        parts[loud] = parts[loud] * 10 ** (boost / 20)
        audio, spans = _sequence(parts, rng)
        cases.append(Case(name=f"loudest-{i}-{loud + 1}of{len(parts)}-{boost:.0f}dB",
                          audio=audio, truth={"span": spans[loud], "index": loud,
                                              "count": len(parts)}))
    return cases


def make_length_cases(rng: np.random.Generator, n: int) -> list[Case]:
    """1-4 steady sounds of 0.3-4 s, 0.5-1 s apart, each within +-6 dB of the others."""
    cases = []
    for i in range(n):
        lengths = [round(float(rng.uniform(0.3, 4.0)), 2) for _ in range(int(rng.integers(1, 5)))]
        parts = [_steady_part(rng, seconds) * 10 ** (float(rng.uniform(-6, 6)) / 20)
                 for seconds in lengths]
        audio, _ = _sequence(parts, rng)
        cases.append(Case(name=f"lengths-{i}-{len(parts)}", audio=audio, truth=lengths))
    return cases


def _sequence(parts: list[np.ndarray], rng: np.random.Generator,
              gaps: list[float] | None = None) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """Parts in a row after 0.1 s of silence, gaps drawn from 0.5-1 s unless given."""
    pieces, spans, now = [synth.silence(0.1)], [], 0.1
    for k, part in enumerate(parts):
        spans.append((now, now + len(part) / SR))
        gap = gaps[k] if gaps is not None else float(rng.uniform(0.5, 1.0))
        pieces += [part.astype(np.float32), synth.silence(gap)]
        now += len(part) / SR + gap
    return np.concatenate(pieces).astype(np.float32), spans


def score_loudest(output, truth: dict) -> float:
    start, end = truth["span"]
    return float(start - 0.1 <= output.loudest.time_s <= end + 0.1)


def make_half_cases(rng: np.random.Generator, n: int) -> list[Case]:
    """Two halves of 1-3 sounds each (no pauses between), one half 4-12 dB louder."""
    cases = []
    for i in range(n):
        louder = str(rng.choice(["first", "second"]))
        boost = 10 ** (float(rng.uniform(4, 12)) / 20)
        halves = []
        for which in ("first", "second"):
            half = np.concatenate([_part(rng) for _ in range(int(rng.integers(1, 4)))])
            halves.append(half * (boost if which == louder else 1.0))
        length = max(len(h) for h in halves)  # equal halves, so the tool's split is ours
        audio = np.concatenate([np.pad(h, (0, length - len(h))) for h in halves])
        cases.append(Case(name=f"halves-{i}-{louder}", audio=audio.astype(np.float32),
                          truth=louder))
    return cases


def score_loudest_sound(output, truth: dict) -> float:
    """1 when every sound is listed on its own and the loudest listed is the boosted one."""
    levels = [s.lufs if s.lufs is not None else -99.0 for s in output.sounds]
    return float(len(levels) == truth["count"] and int(np.argmax(levels)) == truth["index"])


def score_lengths(output, truth: list[float]) -> float:
    """1 when the sounds are listed one by one, each length within 0.1 s."""
    found = [s.duration_s for s in output.sounds]
    return float(len(found) == len(truth) and all(abs(a - b) <= 0.1 for a, b in zip(found, truth)))


def score_half(output, truth: str) -> float:
    first, second = output.first_half_lufs or -99.0, output.second_half_lufs or -99.0
    return float((first > second) == (truth == "first"))


def make_silence_cases(rng: np.random.Generator, n: int) -> list[Case]:
    """2-4 sounds with 1-3 silences of 0.4-1.5 s between them (the other gaps 0.1 s);
    half the clips carry a faint noise floor 50-60 dB below the sounds."""
    cases = []
    for i in range(n):
        parts = [_steady_part(rng) * 10 ** (float(rng.uniform(-6, 6)) / 20)
                 for _ in range(int(rng.integers(2, 5)))]
        gaps = [0.1] * len(parts)
        long_gaps = rng.choice(len(parts) - 1, size=int(rng.integers(1, len(parts))), replace=False)
        for k in long_gaps:
            gaps[k] = float(rng.uniform(0.4, 1.5))
        audio, spans = _sequence(parts, rng, gaps)
        silences = [(round(spans[k][1], 3), round(spans[k + 1][0], 3)) for k in sorted(long_gaps)]
        floor = i % 2 == 1
        if floor:
            noise = synth.white_noise(len(audio) / SR, rng, amplitude=0.1)
            audio = audio + noise * 10 ** (-float(rng.uniform(50, 60)) / 20)
        cases.append(Case(name=f"silences-{i}-{len(silences)}" + ("-floor" if floor else ""),
                          audio=audio.astype(np.float32), truth=silences))
    return cases


def score_silences(output, truth: list[tuple[float, float]]) -> float:
    """1 when every true silence is reported within 0.1 s at both ends and nothing else is."""
    found = [(s.start_s, s.end_s) for s in output.silences]
    matched = all(any(abs(a - s) <= 0.1 and abs(b - e) <= 0.1 for a, b in found)
                  for s, e in truth)
    return float(matched and len(found) == len(truth))


def make_snr_cases(rng: np.random.Generator, n: int) -> list[Case]:
    """Speech, drum hits or beeps mixed with white or recorded (alsa-utils) noise at 0-30 dB."""
    from audiorouter.tools.audio import load_audio

    recorded = load_audio("/usr/share/sounds/alsa/Noise.wav").samples
    cases = []
    for i in range(n):
        kind = ("speech", "hits", "beeps")[i % 3]
        if kind == "speech":
            signal = synth.speak(str(rng.choice(TAGGING_SENTENCES)), voice=str(rng.choice(_VOICES)))
        elif kind == "hits":
            signal = synth.hits(int(rng.integers(4, 10)), rng=rng, each_different=True)[0]
        else:
            signal = synth.events_clip(int(rng.integers(4, 10)), rng, "tone")[0]
        noise = (synth.white_noise(len(signal) / SR, rng) if i % 2 else
                 np.roll(recorded, int(rng.integers(len(recorded)))))
        snr = float(rng.uniform(0, 30))
        cases.append(Case(name=f"snr-{i}-{kind}-{'white' if i % 2 else 'recorded'}-{snr:.0f}dB",
                          audio=synth.mix(signal, noise, snr), truth=snr))
    return cases


def score_snr(output, truth: float) -> float:
    return float(output.snr_db is not None and abs(output.snr_db - truth) <= 3.0)


def make_reference_cases(rng: np.random.Generator, n: int) -> list[Case]:
    """1 kHz sines of known level, 0.2-5 s long: BS.1770 gives (peak dBFS) - 3.01 LUFS
    (mono, K-weighting ~0 dB at 1 kHz; -20 dBFS -> -23.0 LUFS), half of them clipped
    (driven 3-12 dB past full scale, then cut at +-1)."""
    cases = []
    for i in range(n):
        clipped = i % 2 == 1
        level = float(rng.uniform(3, 12)) if clipped else float(rng.uniform(-40, -1))
        seconds = float(rng.choice([0.2, 0.5, 1.0, 5.0]))
        t = np.arange(int(seconds * SR)) / SR
        audio = np.clip(10 ** (level / 20) * np.sin(2 * np.pi * 1000 * t), -1, 1)
        cases.append(Case(name=f"reference-{i}-{level:.0f}dBFS-{seconds}s",
                          audio=audio.astype(np.float32),
                          truth={"lufs": None if clipped else level - 3.01, "clipped": clipped}))
    return cases


def score_reference(output, truth: dict) -> float:
    """Clipping flagged right and, for clean tones, LUFS within 0.5 LU of BS.1770."""
    if output.clipping != truth["clipped"]:
        return 0.0
    return float(truth["lufs"] is None or abs(output.integrated_lufs - truth["lufs"]) <= 0.5)


LOUDEST = ToolTask(
    name="loudest of several sounds", tool="measure_loudness",
    metric="share whose loudest moment falls on the sound made 6-12 dB louder",
    make_cases=make_loudest_cases, score=score_loudest, goal=">= 0.9")
LOUDEST_SOUND = ToolTask(
    name="level of each sound", tool="measure_loudness",
    metric="share with every sound listed and the 6-12 dB louder one loudest",
    make_cases=make_loudest_cases, score=score_loudest_sound, goal=">= 0.9")
SOUND_LENGTHS = ToolTask(
    name="length of each sound", tool="measure_loudness",
    metric="share with every sound listed and its length within 0.1 s",
    make_cases=make_length_cases, score=score_lengths, goal=">= 0.9")
LOUDER_HALF = ToolTask(
    name="louder half", tool="measure_loudness",
    metric="share with the 4-12 dB louder half right", make_cases=make_half_cases,
    score=score_half, goal=">= 0.95")
SILENCES = ToolTask(
    name="silence gaps", tool="measure_loudness",
    metric="share with every silence found within 0.1 s and no extra one",
    make_cases=make_silence_cases, score=score_silences, goal=">= 0.9")
SNR = ToolTask(
    name="SNR of noisy mixes", tool="measure_loudness", metric="share within 3 dB",
    make_cases=make_snr_cases, score=score_snr, goal=">= 0.8")
REFERENCE = ToolTask(
    name="LUFS of 1 kHz reference tones and clipping", tool="measure_loudness",
    metric="share with clipping flagged right and LUFS within 0.5 LU of BS.1770",
    make_cases=make_reference_cases, score=score_reference, goal="1.0")

TASKS: list[ToolTask] = [LOUDEST, LOUDEST_SOUND, SOUND_LENGTHS, LOUDER_HALF, SILENCES, SNR, REFERENCE]

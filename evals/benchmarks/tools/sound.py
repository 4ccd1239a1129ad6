"""Benchmark tasks of the sound tools tag_sounds and count_events (measure_loudness: loudness.py).

Every clip is built from real renderers and recordings (data/synth/) with its answer
known by construction: which kinds of sound play when, how many hits, how loud each part is.
"""

from __future__ import annotations

import numpy as np

from audiorouter.data import synth
from audiorouter.data.texts import TAGGING_SENTENCES
from audiorouter.tools.audio import SAMPLE_RATE as SR
from audiorouter.tools.dsp import frame_db

from .tasks import Case, ToolTask


# --- tag_sounds -----------------------------------------------------------------------------

_VOICES = ("kal", "slt", "awb", "rms", "espeak:en-us", "espeak:en-gb+f3")
# GM programs whose melodies sound like their instrument in FluidR3: piano, vibraphone,
# organ, nylon guitar, violin, trumpet, alto sax, flute.
_MELODIC = (0, 11, 19, 24, 40, 56, 65, 73)

# AudioSet labels that count as hearing each kind of sound. Drums are music in AudioSet, so
# a music label on drums is right and "music" is only checked absent where no drums play.
DRUM_LABELS = frozenset({
    "Percussion", "Drum kit", "Drum machine", "Drum", "Snare drum", "Rimshot", "Drum roll",
    "Bass drum", "Timpani", "Tabla", "Cymbal", "Hi-hat", "Wood block", "Tambourine",
    "Cowbell", "Drum and bass"})
SOUND_LABELS: dict[str, frozenset[str]] = {
    "speech": frozenset({"Speech", "Speech synthesizer", "Narration, monologue",
                         "Male speech, man speaking", "Female speech, woman speaking",
                         "Child speech, kid speaking", "Conversation"}),
    "drums": DRUM_LABELS,
    "tone": frozenset({"Sine wave", "Beep, bleep", "Tuning fork", "Dial tone", "Sidetone",
                       "Hum", "Electronic tuner", "Chirp tone"}),
    "noise": frozenset({"White noise", "Pink noise", "Noise", "Static", "Hiss",
                        "Environmental noise"}),
}


def _music_labels() -> frozenset[str]:
    """Every AudioSet music class (Music ... Scary music) except the drum ones."""
    from audiorouter.tools.tag_sounds import load_yamnet

    names = load_yamnet()[1]
    return frozenset(names[names.index("Music"):names.index("Scary music") + 1]) - DRUM_LABELS


def _sound_part(kind: str, rng: np.random.Generator) -> np.ndarray:
    """1-3 s of one kind of sound, faded, no leading or trailing silence to speak of."""
    if kind == "speech":
        return synth.speak(str(rng.choice(TAGGING_SENTENCES)), voice=str(rng.choice(_VOICES)))
    if kind == "music":
        program = int(rng.choice(_MELODIC))
        start, notes = 0.0, []
        for _ in range(int(rng.integers(5, 9))):
            dur = float(rng.choice((0.25, 0.35, 0.5)))
            notes.append(synth.Note(start, dur * 0.95, int(rng.integers(55, 80)), 100))
            start += dur
        return synth.render_notes(notes, program=program)
    if kind == "drums":
        if rng.random() < 0.5:
            return synth.drum_loop(float(rng.uniform(90, 140)), 1, rng)
        return synth.hits(int(rng.integers(4, 9)), rng=rng, each_different=True,
                          gap_range_s=(0.2, 0.35))[0]
    if kind == "tone":
        return synth.tone(float(rng.uniform(300, 2000)), float(rng.uniform(1.0, 2.0)))
    if kind == "noise":
        return synth.white_noise(float(rng.uniform(1.0, 2.0)), rng,
                                 amplitude=float(rng.uniform(0.05, 0.2)))
    raise ValueError(kind)


def _active_span(x: np.ndarray, floor_db: float = -35.0) -> tuple[float, float]:
    """First and last 10 ms frame within `floor_db` of the part's loudest frame."""
    db = frame_db(x, SR // 100, SR // 100)
    loud = np.flatnonzero(db > db.max() + floor_db)
    return loud[0] / 100, (loud[-1] + 1) / 100


def make_sound_cases(rng: np.random.Generator, n: int) -> list[Case]:
    """Sequences of 2-3 kinds of sound with silences between: truth = kind -> (start, end)."""
    kinds = ("speech", "music", "drums", "tone", "noise")
    cases = []
    for i in range(n):
        chosen = [str(k) for k in rng.choice(kinds, size=int(rng.integers(2, 4)), replace=False)]
        pieces, spans, now = [synth.silence(0.3)], {}, 0.3
        for kind in chosen:
            part = _sound_part(kind, rng)
            start, end = _active_span(part)
            spans[kind] = (round(now + start, 2), round(now + end, 2))
            gap = float(rng.uniform(0.5, 1.0))
            pieces += [part, synth.silence(gap)]
            now += len(part) / SR + gap
        audio = np.concatenate(pieces).astype(np.float32)
        cases.append(Case(name=f"sounds-{i}-{'+'.join(chosen)}", audio=audio,
                          truth={"present": spans, "absent": _absent(chosen, kinds)},
                          args={"top_k": 10}))
    return cases


def _absent(chosen: list[str], kinds: tuple[str, ...]) -> list[str]:
    return [k for k in kinds if k not in chosen and not (k == "music" and "drums" in chosen)]


def _heard(output, kind: str, *, specific: bool = False) -> list:
    """The output's labels of `kind` that are present somewhere (have segments).

    `specific` leaves out "Music" and "Musical instrument", which rightly cover drums too.
    """
    labels = _music_labels() if kind == "music" else SOUND_LABELS[kind]
    if specific:
        labels = labels - {"Music", "Musical instrument"}
    return [item for item in output.labels if item.label in labels and item.segments]


def score_presence(output, truth: dict) -> float:
    """Share of kinds rightly heard (present ones) or rightly not heard (absent ones)."""
    right = [bool(_heard(output, k)) for k in truth["present"]]
    right += [not _heard(output, k) for k in truth["absent"]]
    return float(np.mean(right))


def score_timeline(output, truth: dict) -> float:
    """Share of present kinds whose heard time overlaps the true span with IoU >= 0.5."""
    right = []
    for kind, span in truth["present"].items():
        heard = [(seg.start_s, seg.end_s) for item in
                 _heard(output, kind, specific="drums" in truth["present"])
                 for seg in item.segments]
        right.append(_iou(heard, span) >= 0.5)
    return float(np.mean(right))


def score_named_sounds(output, truth: dict) -> float:
    """Share of kinds, in order, named by the first sound that starts inside their span
    (drums may also be named Music or Musical instrument, which cover them in AudioSet)."""
    right = []
    for kind, (start, end) in truth["present"].items():
        labels = _music_labels() if kind == "music" else SOUND_LABELS[kind]
        if kind == "drums":
            labels = labels | {"Music", "Musical instrument"}
        inside = [s for s in output.sounds if start - 0.2 <= s.start_s <= end]
        right.append(bool(inside) and bool(labels & set(inside[0].labels)))
    return float(np.mean(right))


def _iou(spans: list[tuple[float, float]], span: tuple[float, float]) -> float:
    """Intersection over union of a union of spans and one span, on a 10 ms grid."""
    size = int(100 * max([span[1], *(e for _, e in spans)])) + 1
    ours, theirs = np.zeros(size, bool), np.zeros(size, bool)
    for start, end in spans:
        ours[int(start * 100):int(end * 100)] = True
    theirs[int(span[0] * 100):int(span[1] * 100)] = True
    return float(np.sum(ours & theirs) / max(np.sum(ours | theirs), 1))


TAG_PRESENCE = ToolTask(
    name="sound presence in sequences", tool="tag_sounds",
    metric="share of kinds (speech/music/drums/tone/noise) rightly present or absent in top-10",
    make_cases=make_sound_cases, score=score_presence, goal=">= 0.9")
TAG_TIMELINE = ToolTask(
    name="sound timeline in sequences", tool="tag_sounds",
    metric="share of present kinds whose timeline has IoU >= 0.5 with the true span",
    make_cases=make_sound_cases, score=score_timeline, goal=">= 0.8")

TAG_EACH_SOUND = ToolTask(
    name="each sound named, in order", tool="tag_sounds",
    metric="share of kinds whose first sound between silences carries one of their labels",
    make_cases=make_sound_cases, score=score_named_sounds, goal=">= 0.8")


# --- count_events ---------------------------------------------------------------------------

_EVENT_KINDS = ("drum", "drum-same", "tone", "click")


def _events(kind: str, count: int, rng: np.random.Generator) -> tuple[np.ndarray, list[float]]:
    """`count` events of one of `_EVENT_KINDS` ("drum-same": one real drum sample repeated)."""
    if kind == "drum-same":
        return synth.hits(count, rng=rng)
    return synth.events_clip(count, rng, kind)  # type: ignore[arg-type]


def _event_cases(rng: np.random.Generator, n: int, noisy: bool) -> list[Case]:
    """1-12 hits (mixed or one repeated real drum sample), beeps or clicks; optionally
    white noise from t=0 at 10-25 dB SNR (the noise start must not count)."""
    cases = []
    for i in range(n):
        kind, count = _EVENT_KINDS[i % 4], int(rng.integers(1, 13))
        audio, onsets = _events(kind, count, rng)
        snr = float(rng.uniform(10, 25))
        if noisy:
            audio = synth.fade(synth.mix(audio, synth.white_noise(len(audio) / SR, rng), snr))
        cases.append(Case(name=f"events-{i}-{kind}-{count}" + (f"-snr{snr:.0f}" if noisy else ""),
                          audio=audio, truth={"count": count, "onsets": onsets}))
    return cases


def score_count(output, truth: dict) -> float:
    return float(output.count == truth["count"])


EVENTS_CLEAN = ToolTask(
    name="event count, clean", tool="count_events", metric="share with the exact count",
    make_cases=lambda rng, n: _event_cases(rng, n, noisy=False), score=score_count,
    goal=">= 0.9")
EVENTS_NOISY = ToolTask(
    name="event count, 10-25 dB SNR noise", tool="count_events",
    metric="share with the exact count",
    make_cases=lambda rng, n: _event_cases(rng, n, noisy=True), score=score_count,
    goal=">= 0.8")


def _speech_and_events_cases(rng: np.random.Generator, n: int) -> list[Case]:
    """A voice (synthetic, or real recorded digits in one of five languages) with 1-6 real
    drum hits, beeps or clicks after it and, in every third clip, 1-3 before it too."""
    cases = []
    for i in range(n):
        if i % 2:
            digits = "".join(str(d) for d in rng.integers(0, 10, size=int(rng.integers(2, 6))))
            language = str(rng.choice(("en", "es", "fr", "it", "ru")))
            voice, label = synth.asterisk_digits(digits, language=language), f"digits-{language}"
        else:
            voice_name = str(rng.choice(_VOICES))
            voice = synth.speak(str(rng.choice(TAGGING_SENTENCES)), voice=voice_name)
            label = voice_name.replace(":", "-")
        kind = _EVENT_KINDS[i % 4]
        counts = {"before": int(rng.integers(1, 4)) if i % 3 == 0 else 0,
                  "after": int(rng.integers(1, 7))}
        before = ([_events(kind, counts["before"], rng)[0], synth.silence(0.3)]
                  if counts["before"] else [])
        after = _events(kind, counts["after"], rng)[0]
        pieces = [*before, voice, synth.silence(float(rng.uniform(0.2, 0.6))), after]
        cases.append(Case(name=f"speech-events-{i}-{label}-{kind}-{counts['before']}"
                               f"+{counts['after']}",
                          audio=np.concatenate(pieces).astype(np.float32), truth=counts))
    return cases


def score_around_speech(output, truth: dict) -> float:
    """Right when the events placed before and after the speech are exactly the true hits."""
    placed = output.relative_to_speech or []
    return float(placed.count("before") == truth["before"]
                 and placed.count("after") == truth["after"])


EVENTS_AROUND_SPEECH = ToolTask(
    name="events before and after speech", tool="count_events",
    metric="share with the exact counts before and after the voice",
    make_cases=_speech_and_events_cases, score=score_around_speech, goal=">= 0.9")


TASKS: list[ToolTask] = [TAG_PRESENCE, TAG_TIMELINE, TAG_EACH_SOUND, EVENTS_CLEAN, EVENTS_NOISY,
                         EVENTS_AROUND_SPEECH]

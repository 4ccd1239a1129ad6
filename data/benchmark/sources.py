"""Each split's share of the real sources, so train, dev and test share no voice, kit,
instrument sample, recording or text.

The partition is fixed (it does not depend on the build seed): the test split is always made
of the same sources. Pools are dealt in order through the cycle train, dev, train, test, train
(3:1:1), after sorting where the order matters:

* English TTS speakers, sorted by median f0, so each split spans low male to high female
  voices. A speaker is a flite voice or an espeak-ng variant; kal / kal16 are one speaker
  (kal16 is used) and so are espeak belinda / linda (same pitch and formants: belinda is used).
  An espeak variant is the same speaker in every language, so language items use the split's
  variants ("espeak:default" is the voice without a variant).
* The two real speakers: the Asterisk prompts (digits) and ALSA's spoken channel names
  ("Front Left"). One speaker each cannot be split, so both are test only: test items use
  them for half of the digits and half of the speech parts, the TTS voices for the rest.
* Hydrogen kits: a fixed table (KIT_SPLITS) that puts two acoustic kits and the hand drums in
  test. The three Millo kits are one Ludwig set recorded three times, hence one source.
* FluidR3 programs (the checked `synth.PITCHED_PROGRAMS`): dealt per instrument family, so
  every split has every family with its own programs; the leftover programs (leads,
  harmonica, accordion, bagpipe, voice) are dealt together.
* Freedesktop notification sounds: the 12 distinct chimes (the theme repeats some files
  under several names), dealt in name order.
* Texts (texts.py): English sentences, each language's parallel sentences by index, and
  the confusable word groups, dealt by position.

Sine beeps and white noise are synthetic and have no source.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import NamedTuple, Sequence, TypeVar

from .. import synth, texts

SPLITS = ("train", "dev", "test")
_CYCLE = ("train", "dev", "train", "test", "train")
T = TypeVar("T")

# Hydrogen kit folders by split. Acoustic kits and hand percussion in test keep it realistic.
KIT_SPLITS: dict[str, tuple[str, ...]] = {
    "train": ("Audiophob", "ColomboAcousticDrumkit", "ElectricEmpireKit", "Millo-Drums_v.1",
              "Millo_MultiLayered2", "Millo_MultiLayered3", "VariBreaks", "rumpf_kit_z01_h2"),
    "dev": ("BJA_Pacific", "Gimme A Hand 1.0", "HardElectro1"),
    "test": ("ForzeeStereo", "The Black Pearl 1.0", "circAfrique v4"),
}
_KIT_SOURCE = {kit: "millo-ludwig" for kit in
               ("Millo-Drums_v.1", "Millo_MultiLayered2", "Millo_MultiLayered3")}

# Instrument families (answer labels) of the checked GM programs; the order within a family
# decides the deal (the 2nd program goes to dev, the 4th to test).
BASS = "bass"
BOWED, BRASS, REEDS, FLUTES = ("bowed strings", "brass", "reeds (saxophone, oboe, clarinet)",
                               "flute or pipe")
FAMILIES: dict[str, tuple[int, ...]] = {
    "piano or keyboard": (0, 2, 4, 6, 7),
    "tuned percussion (marimba, xylophone)": (8, 12, 108, 13),
    "guitar or plucked strings": (24, 25, 26, 27, 29, 30, 104, 105, 107),
    BASS: (32, 33, 35, 38),
    BOWED: (40, 42, 50, 48),
    BRASS: (56, 57, 60, 61),
    REEDS: (64, 65, 66, 68, 71),
    FLUTES: (72, 73, 74, 75, 79),
}
# Families that hold a note: a melody on them is not mistaken for a chime or a drum.
SUSTAINED = (BOWED, BRASS, REEDS, FLUTES)
# Checked programs of no family above: harmonica, accordion, bagpipe, leads, voice oohs.
OTHER_PROGRAMS = (22, 23, 109, 80, 81, 53)

FREEDESKTOP_DIR = Path("/usr/share/sounds/freedesktop/stereo")
# Distinct tonal notification sounds. Left out: byte-identical copies (dialog-warning,
# window-*, network-*, power-*, screen-capture), clicks and noises (camera-shutter,
# trash-empty, audio-volume-change, audio-test-signal), sounds under 0.1 s
# (dialog-information), telephone tones that are plain beeps (phone-outgoing-*), and the
# spoken channel names.
CHIMES = ("alarm-clock-elapsed", "bell", "complete", "device-added", "device-removed",
          "dialog-error", "message", "message-new-instant", "phone-incoming-call",
          "service-login", "service-logout", "suspend-error")
ALSA_DIR = Path("/usr/share/sounds/alsa")
# alsa-utils' speaker-test recordings: one real speaker naming the channels.
ALSA_PHRASES = ("Front_Center", "Front_Left", "Front_Right", "Rear_Center", "Rear_Left",
                "Rear_Right", "Side_Left", "Side_Right")
ASTERISK_SOURCE = "recording:asterisk-allison"
ALSA_SOURCE = "recording:alsa-voice"

# Second names of a speaker, left out: kal is kal16 at 8 kHz, linda is belinda without echo.
_SECOND_NAMES = frozenset({"kal", "espeak:en-us+linda"})


class Text(NamedTuple):
    """A text with its stable id ("en:3", "de:1")."""

    id: str
    text: str


class WordGroup(NamedTuple):
    """Four confusable words with their stable id ("words:7")."""

    id: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class Voice:
    """One TTS speaker: "flite:slt", or "espeak:f3" for an espeak-ng variant."""

    id: str
    f0_hz: float

    @property
    def source(self) -> str:
        return f"voice:{self.id}"

    @property
    def is_espeak(self) -> bool:
        return self.id.startswith("espeak:")

    def spec(self, language: str = "en-us") -> str:
        """The `synth.speak` voice for `language` (an espeak-ng voice name)."""
        engine, _, name = self.id.partition(":")
        if engine == "flite":
            if language != "en-us":
                raise ValueError(f"flite voice {name!r} speaks English only")
            return name
        return f"espeak:{language}" + ("" if name == "default" else f"+{name}")


@dataclass(frozen=True)
class Sources:
    """What one split may use. Every item names the ids of what it used in meta["sources"]."""

    split: str
    voices: tuple[Voice, ...]
    sentences: tuple[Text, ...]
    language_sentences: dict[str, tuple[Text, ...]]
    word_groups: tuple[WordGroup, ...]
    kits: tuple[str, ...]
    families: dict[str, tuple[int, ...]]
    programs: tuple[int, ...]
    chimes: tuple[str, ...]
    recorded_phrases: tuple[str, ...]  # ALSA file names ("Front_Left")
    recorded_digits: bool

    @property
    def espeak_voices(self) -> tuple[Voice, ...]:
        return tuple(v for v in self.voices if v.is_espeak)

    def ids(self) -> set[str]:
        """Every source id this split owns: items may name no other."""
        ids = {v.source for v in self.voices}
        ids |= {text_source(t) for t in self.sentences}
        ids |= {text_source(t) for group in self.language_sentences.values() for t in group}
        ids |= {text_source(g) for g in self.word_groups}
        ids |= {kit_source(k) for k in self.kits}
        ids |= {program_source(p) for p in self.programs}
        ids |= {chime_source(c) for c in self.chimes}
        ids |= {ALSA_SOURCE} if self.recorded_phrases else set()
        ids |= {ASTERISK_SOURCE} if self.recorded_digits else set()
        return ids


def deal(items: Sequence[T], split: str) -> tuple[T, ...]:
    """The share of `split` when `items` are dealt in order through the 3:1:1 cycle."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}: use one of {SPLITS}")
    return tuple(x for i, x in enumerate(items) if _CYCLE[i % len(_CYCLE)] == split)


def text_source(text: Text | WordGroup) -> str:
    return f"text:{text.id}"


def kit_source(kit: str) -> str:
    return f"kit:{_KIT_SOURCE.get(kit, kit)}"


def program_source(program: int) -> str:
    return f"program:{program}"


def chime_source(name: str) -> str:
    return f"sound:{name}"


def chime_path(name: str) -> Path:
    return FREEDESKTOP_DIR / f"{name}.oga"


def phrase_path(name: str) -> Path:
    return ALSA_DIR / f"{name}.wav"


def english_speakers() -> list[Voice]:
    """Every English TTS speaker with a measured median f0, lowest voice first."""
    voices = []
    for key, f0 in synth.VOICE_MEDIAN_F0_HZ.items():
        if key in _SECOND_NAMES:
            continue
        if key in synth.FLITE_VOICES:
            voices.append(Voice(f"flite:{key}", f0))
        elif key.startswith("espeak:en-us"):
            voices.append(Voice(f"espeak:{key.partition('+')[2] or 'default'}", f0))
    return sorted(voices, key=lambda v: (v.f0_hz, v.id))


@cache
def split_sources(split: str) -> Sources:
    """The sources of `split` ("train", "dev" or "test")."""
    sentences = [Text(f"en:{i}", s) for i, s in enumerate(texts.SENTENCES)]
    languages = {lang: deal([Text(f"{lang}:{i}", s) for i, s in enumerate(group)], split)
                 for lang, group in texts.LANGUAGE_SENTENCES.items()}
    families = {name: deal(programs, split) for name, programs in FAMILIES.items()}
    others = deal(OTHER_PROGRAMS, split)
    return Sources(
        split=split,
        voices=deal(english_speakers(), split),
        sentences=deal(sentences, split),
        language_sentences=languages,
        word_groups=deal([WordGroup(f"words:{i}", g) for i, g in enumerate(texts.WORD_GROUPS)],
                         split),
        kits=KIT_SPLITS[split],
        families=families,
        programs=tuple(sorted({p for group in families.values() for p in group} | set(others))),
        chimes=deal(CHIMES, split),
        recorded_phrases=ALSA_PHRASES if split == "test" else (),
        recorded_digits=split == "test",
    )

"""Speech with a known text and voice: flite / espeak-ng, and Asterisk's recorded prompts."""

from __future__ import annotations

import subprocess
import tempfile
from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np

from audiorouter.tools.audio import SAMPLE_RATE

from .signals import LEAD_S, concat, fade, load, normalize, silence
from .system import binary, data_file, run

ASTERISK_SOUNDS = Path("/usr/share/asterisk/sounds")
#: The real recorded prompts per language: their folder and the Debian package that ships it.
ASTERISK_VOICES = {
    "en": ("en_US_f_Allison", "asterisk-core-sounds-en-wav"),
    "es": ("es_MX_f_Allison", "asterisk-core-sounds-es-wav"),
    "fr": ("fr_CA_f_June", "asterisk-core-sounds-fr-wav"),
    "it": ("it_IT_m_Carlo", "asterisk-core-sounds-it-wav"),
    "ru": ("ru_RU_f_IvrvoiceRU", "asterisk-core-sounds-ru-wav"),
}
#: Each Asterisk voice's speaker, as its folder names them (_f_, _m_).
ASTERISK_SEX = {language: "male" if "_m_" in folder else "female"
                for language, (folder, _) in ASTERISK_VOICES.items()}

# flite's built-in voices; kal is an 8 kHz voice (band-limited), the others 16 kHz.
FLITE_VOICES = ("kal", "kal16", "awb", "rms", "slt")

# Median f0 (Hz, librosa.pyin) of `speak("The quick brown fox jumps over the lazy dog.")`.
# espeak-ng names do not predict it: variants are male or female by measurement only (and
# "en-gb+f5" typed to espeak-ng directly is the male voice; `speak` resolves it properly).
VOICE_MEDIAN_F0_HZ: dict[str, float] = {
    "kal": 89.3, "kal16": 90.1, "awb": 131.2, "rms": 100.6, "slt": 172.6,
    "espeak:en-us": 100.0,
    "espeak:en-us+m1": 91.7, "espeak:en-us+m2": 99.4, "espeak:en-us+m3": 102.6,
    "espeak:en-us+m4": 91.7, "espeak:en-us+m5": 101.7, "espeak:en-us+m6": 99.4,
    "espeak:en-us+m7": 104.1, "espeak:en-us+m8": 83.8,
    "espeak:en-us+f1": 177.2, "espeak:en-us+f2": 191.0, "espeak:en-us+f3": 205.3,
    "espeak:en-us+f4": 177.2, "espeak:en-us+f5": 201.2,
    "espeak:en-us+Alicia": 247.7, "espeak:en-us+Andrea": 242.7, "espeak:en-us+Annie": 239.2,
    "espeak:en-us+belinda": 227.1, "espeak:en-us+linda": 227.1, "espeak:en-us+steph": 183.4,
    "espeak:en-us+grandma": 196.0,
    "espeak:en-us+Alex": 103.5, "espeak:en-us+adam": 99.4, "espeak:en-us+david": 73.6,
    "espeak:en-us+john": 101.2, "espeak:en-us+paul": 84.1, "espeak:en-us+robert": 96.0,
    "espeak:en-gb": 99.4, "espeak:en-gb+f3": 205.9, "espeak:en-gb+m3": 102.3,
    "espeak:de": 97.2, "espeak:de+f3": 201.2, "espeak:fr-fr": 98.9, "espeak:fr-fr+f3": 202.3,
    "espeak:es": 102.3, "espeak:es+f3": 211.9, "espeak:it": 100.6, "espeak:it+f3": 205.9,
}
# Voices that are clearly male (median f0 < 150 Hz) or female (> 165 Hz).
VOICE_SEX: dict[str, Literal["male", "female"]] = {
    voice: "male" if f0 < 150 else "female"
    for voice, f0 in VOICE_MEDIAN_F0_HZ.items() if f0 < 150 or f0 > 165
}

# espeak-ng's default speaking rate; flite's rate is set relative to it.
_DEFAULT_WPM = 175


def speak(text: str, *, voice: str = "kal", rate_wpm: float | None = None,
          sr: int = SAMPLE_RATE) -> np.ndarray:
    """Synthesize `text` with a flite voice ("kal", "slt", ...) or "espeak:<voice>[+variant]".

    Both synthesizers silently fall back to a default for unknown voices, so the name is
    checked first and an unknown one raises ValueError.
    """
    if not text.strip():
        raise ValueError("speak() needs non-empty text")
    if rate_wpm is not None and rate_wpm <= 0:
        raise ValueError(f"rate_wpm must be positive, not {rate_wpm}")
    with tempfile.TemporaryDirectory(prefix="synth-speak-") as tmp:
        out = Path(tmp) / "speech.wav"
        if voice.startswith("espeak:"):
            run(_espeak_command(voice.removeprefix("espeak:"), text, rate_wpm, out))
        else:
            run(_flite_command(voice, text, rate_wpm, out))
        return fade(normalize(load(out, sr)), sr)


def _flite_command(voice: str, text: str, rate_wpm: float | None, out: Path) -> list[str]:
    if voice not in FLITE_VOICES:
        raise ValueError(f"unknown voice {voice!r}: use one of {FLITE_VOICES} or "
                         "'espeak:<voice>' such as 'espeak:en-us+f3'")
    cmd = [binary("flite", "flite"), "-voice", voice, "-t", text, "-o", str(out)]
    if rate_wpm is not None:
        cmd[1:1] = ["--setf", f"duration_stretch={_DEFAULT_WPM / rate_wpm:.3f}"]
    return cmd


def _espeak_command(voice: str, text: str, rate_wpm: float | None, out: Path) -> list[str]:
    language, _, variant = voice.partition("+")
    voice_file = _espeak_voice_files().get(language.lower())
    if voice_file is None:
        raise ValueError(f"unknown espeak-ng voice {language!r}: see `espeak-ng --voices`")
    if variant and variant not in _espeak_variants():
        raise ValueError(f"unknown espeak-ng variant {variant!r}: see "
                         "`espeak-ng --voices=variant`")
    # By voice file: espeak-ng drops "+variant" silently when the language code is not the
    # file's name ("en-gb+f5" is the male en-gb voice, "gmw/en+f5" the female one).
    spec = f"{voice_file}+{variant}" if variant else voice_file
    cmd = [binary("espeak-ng", "espeak-ng"), "-v", spec, "-w", str(out), text]
    if rate_wpm is not None:
        cmd[1:1] = ["-s", str(int(round(rate_wpm)))]
    return cmd


@cache
def _espeak_listing(flag: str) -> tuple[list[str], ...]:
    """Rows of `espeak-ng <flag>`, split into columns, header dropped."""
    result = subprocess.run([binary("espeak-ng", "espeak-ng"), flag], capture_output=True,
                            text=True, check=True, timeout=30)
    return tuple(line.split() for line in result.stdout.splitlines()[1:] if line.strip())


@cache
def _espeak_voice_files() -> dict[str, str]:
    """Voice file ("gmw/en") by lower-case language code or file name ("en-gb", "en")."""
    files: dict[str, str] = {}
    for row in _espeak_listing("--voices"):
        files.setdefault(row[1].lower(), row[4])
        files.setdefault(row[4].rsplit("/", 1)[-1].lower(), row[4])
    return files


@cache
def _espeak_variants() -> frozenset[str]:
    """Variant names usable as "<voice>+<variant>" ("f3", "m1", "klatt", ...)."""
    return frozenset(row[4].removeprefix("!v/") for row in _espeak_listing("--voices=variant"))


def asterisk_path(word: str, language: str = "en") -> Path:
    """The recorded prompt for `word` ("hello", "digits/7", "7", "letters/a", "goodbye") in
    one of `ASTERISK_VOICES`' languages."""
    if language not in ASTERISK_VOICES:
        raise ValueError(f"no Asterisk voice for {language!r}; one of {sorted(ASTERISK_VOICES)}")
    folder, package = ASTERISK_VOICES[language]
    root = data_file(ASTERISK_SOUNDS / folder, package)
    for kind in ("", "digits", "letters", "phonetic"):
        path = root / kind / f"{word}.wav"
        if path.is_file():
            return path
    raise ValueError(f"no Asterisk prompt {word!r} under {root}")


def asterisk_digits(digits: str, gap_s: float = 0.15, sr: int = SAMPLE_RATE, *,
                    language: str = "en") -> np.ndarray:
    """The real recorded digits of `digits` ("4071") spoken in `language`, edge silence
    trimmed, `gap_s` apart."""
    if not digits or not digits.isdigit():
        raise ValueError(f"digits must be a non-empty string of 0-9, not {digits!r}")
    parts = [_trim_silence(load(asterisk_path(f"digits/{d}", language), sr), sr) for d in digits]
    speech = concat([silence(LEAD_S, sr), *parts, silence(LEAD_S, sr)], gap_s, sr)
    return fade(normalize(speech), sr)


def _trim_silence(x: np.ndarray, sr: int, floor_db: float = -35.0,
                  margin_s: float = 0.03) -> np.ndarray:
    """Cut leading and trailing frames quieter than `floor_db` below the loudest frame."""
    hop = int(0.01 * sr)
    frames = np.lib.stride_tricks.sliding_window_view(x, 2 * hop)[::hop]
    rms = np.sqrt(np.mean(frames**2, axis=1) + 1e-12)
    loud = np.nonzero(20 * np.log10(rms / rms.max()) > floor_db)[0]
    margin = int(margin_s * sr)
    start = max(loud[0] * hop - margin, 0)
    end = min(loud[-1] * hop + 2 * hop + margin, len(x))
    return x[start:end]

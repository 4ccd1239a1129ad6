"""Ground-truth audio from real recordings and real renderers, for tests and benchmarks.

Every clip is mono float32 at the requested rate (16 kHz by default) and faded in and out
(~20 ms), so the clip edges never read as onsets. Speech comes from flite / espeak-ng with a
known text and voice, music from FluidR3 General MIDI rendered by fluidsynth from MIDI we
write, drum hits from the real one-shot samples of the hydrogen kits, digits from the real
recorded Asterisk prompts. Randomness only comes from the numpy Generator passed in, so a
seed gives the same audio. Nothing touches the network; a missing binary or data file raises
a RuntimeError naming the Debian package to install.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Literal

import mido
import numpy as np
import soundfile as sf
import soxr

SR = 16_000
FADE_MS = 20.0
# Silence before the first sound of a rendered clip, so the fade-in never touches an onset.
LEAD_S = 0.1
# Release left after the last MIDI note-off, so instruments decay naturally.
RELEASE_S = 0.5

SOUNDFONT = Path("/usr/share/sounds/sf2/FluidR3_GM.sf2")
ASTERISK_DIR = Path("/usr/share/asterisk/sounds/en_US_f_Allison")
HYDROGEN_DIR = Path("/usr/share/hydrogen/data/drumkits")

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

# GM programs (0-based) whose sounding pitch in FluidR3 was measured at the MIDI key for
# every key tried from C3 to G5: first partial within 20 cents, autocorrelation f0 within
# 25 cents (piano partials are stretched), nothing strong below the fundamental. Left out as
# they fail: organs (sound 1-2 octaves low, church organ flips an octave), harp (octave up
# at C3), glockenspiel, music box, vibraphone, tubular bells, dulcimer, honky-tonk, muted
# guitar, guitar harmonics, viola, pizzicato, timpani, choirs, muted trumpet, bassoon,
# whistle, shamisen; tuba, contrabass and baritone sax go silent above their range.
PITCHED_PROGRAMS: dict[str, int] = {
    "acoustic_grand_piano": 0, "electric_grand_piano": 2, "electric_piano": 4,
    "harpsichord": 6, "clavinet": 7, "celesta": 8, "marimba": 12, "xylophone": 13,
    "harmonica": 22, "tango_accordion": 23,
    "nylon_guitar": 24, "steel_guitar": 25, "jazz_guitar": 26, "clean_electric_guitar": 27,
    "overdriven_guitar": 29, "distortion_guitar": 30,
    "acoustic_bass": 32, "electric_bass": 33, "fretless_bass": 35, "synth_bass": 38,
    "violin": 40, "cello": 42, "string_ensemble": 48, "synth_strings": 50, "voice_oohs": 53,
    "trumpet": 56, "trombone": 57, "french_horn": 60, "brass_section": 61,
    "soprano_sax": 64, "alto_sax": 65, "tenor_sax": 66, "oboe": 68, "clarinet": 71,
    "piccolo": 72, "flute": 73, "recorder": 74, "pan_flute": 75, "ocarina": 79,
    "square_lead": 80, "sawtooth_lead": 81, "sitar": 104, "banjo": 105, "koto": 107,
    "kalimba": 108, "bagpipe": 109,
}

CHORD_INTERVALS: dict[str, tuple[int, ...]] = {
    "major": (0, 4, 7),
    "minor": (0, 3, 7),
    "diminished": (0, 3, 6),
    "augmented": (0, 4, 8),
    "sus2": (0, 2, 7),
    "sus4": (0, 5, 7),
    "dominant7": (0, 4, 7, 10),
    "major7": (0, 4, 7, 11),
    "minor7": (0, 3, 7, 10),
}
# Melody range in scale steps above the C4-octave tonic: from the third to the 12th.
_MELODY_STEPS = (2, 11)
_SCALES = {"major": (0, 2, 4, 5, 7, 9, 11), "minor": (0, 2, 3, 5, 7, 8, 11)}  # harmonic minor

# GM drum keys (channel 10).
KICK, SNARE, CLOSED_HAT, OPEN_HAT, CRASH = 36, 38, 42, 46, 49
# FluidR3 drum-kit presets (bank 128) for `drum_loop(kit_program=...)`.
DRUM_KITS: dict[str, int] = {"standard": 0, "room": 8, "power": 16, "electronic": 24,
                             "tr808": 25, "jazz": 32, "brush": 40, "orchestra": 48}


@dataclass(frozen=True)
class Note:
    """One MIDI note: onset and duration in seconds, key 0-127, velocity 1-127."""

    start_s: float
    dur_s: float
    pitch_midi: int
    velocity: int = 100


# --- basic signals ------------------------------------------------------------------------

def fade(x: np.ndarray, sr: int = SR, ms: float = FADE_MS, *,
         fade_in: bool = True) -> np.ndarray:
    """Raised-cosine fade in and out, so the clip edges are not onsets."""
    y = np.asarray(x, dtype=np.float32).copy()
    n = min(int(sr * ms / 1000), len(y) // 2)
    if n > 0:
        ramp = (0.5 - 0.5 * np.cos(np.linspace(0.0, np.pi, n))).astype(np.float32)
        if fade_in:
            y[:n] *= ramp
        y[len(y) - n:] *= ramp[::-1]
    return y


def silence(seconds: float, sr: int = SR) -> np.ndarray:
    """Digital zeros: gaps between parts and lead-ins."""
    return np.zeros(int(round(seconds * sr)), dtype=np.float32)


def tone(freq_hz: float, seconds: float, sr: int = SR, amplitude: float = 0.5) -> np.ndarray:
    """A pure sine, faded: the simplest pitch ground truth."""
    t = np.arange(int(round(seconds * sr))) / sr
    return fade(amplitude * np.sin(2 * np.pi * freq_hz * t), sr)


def white_noise(seconds: float, rng: np.random.Generator, sr: int = SR,
                amplitude: float = 0.1) -> np.ndarray:
    """Gaussian white noise with RMS `amplitude`, faded."""
    return fade(amplitude * rng.standard_normal(int(round(seconds * sr))), sr)


def concat(parts: list[np.ndarray], gap_s: float = 0.0, sr: int = SR) -> np.ndarray:
    """Join clips with `gap_s` of silence between them."""
    gap = silence(gap_s, sr)
    pieces: list[np.ndarray] = []
    for i, part in enumerate(parts):
        if i:
            pieces.append(gap)
        pieces.append(np.asarray(part, dtype=np.float32))
    return np.concatenate(pieces) if pieces else silence(0.0, sr)


def mix(signal: np.ndarray, noise: np.ndarray, snr_db: float) -> np.ndarray:
    """Add `noise` (tiled or cut to length) at `snr_db` below the signal's power.

    Both are scaled down together if the sum would clip, which keeps the SNR exact.
    """
    signal = np.asarray(signal, dtype=np.float64)
    noise = np.resize(np.asarray(noise, dtype=np.float64), signal.shape)
    p_signal, p_noise = np.mean(signal**2), np.mean(noise**2)
    if p_noise == 0:
        raise ValueError("noise is all zeros: there is no level to set an SNR with")
    out = signal + noise * np.sqrt(p_signal / (p_noise * 10 ** (snr_db / 10)))
    peak = np.max(np.abs(out), initial=0.0)
    return (out / peak * 0.99 if peak > 0.99 else out).astype(np.float32)


def write_wav(path: str | Path, x: np.ndarray, sr: int = SR) -> Path:
    """16-bit PCM wav, which every decoder and tool reads."""
    path = Path(path)
    sf.write(path, np.clip(x, -1.0, 1.0), sr, subtype="PCM_16")
    return path


def _fit(x: np.ndarray, seconds: float, sr: int) -> np.ndarray:
    """Cut or zero-pad to exactly `seconds`."""
    n = int(round(seconds * sr))
    return np.pad(x[:n], (0, max(0, n - len(x))))


def _load(path: Path, sr: int) -> np.ndarray:
    """Decode any file soundfile reads to mono float32 at `sr`."""
    x, file_sr = sf.read(path, dtype="float32", always_2d=True)
    x = x.mean(axis=1)
    return x if file_sr == sr else soxr.resample(x, file_sr, sr).astype(np.float32)


def _normalize(x: np.ndarray, peak: float = 0.9) -> np.ndarray:
    """Scale to a fixed peak, so clip level carries no cue about the answer."""
    top = np.max(np.abs(x), initial=0.0)
    return x if top == 0 else (x * (peak / top)).astype(np.float32)


# --- system dependencies ------------------------------------------------------------------

def _binary(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"`{name}` is not installed: apt-get install {package}")
    return path


def _data(path: Path, package: str) -> Path:
    if not path.exists():
        raise RuntimeError(f"{path} is missing: apt-get install {package}")
    return path


def _run(cmd: list[str]) -> None:
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise RuntimeError(f"{Path(cmd[0]).name} failed ({result.returncode}): "
                           f"{result.stderr.strip()[-500:]}")


# --- speech -------------------------------------------------------------------------------

# espeak-ng's default speaking rate; flite's rate is set relative to it.
_DEFAULT_WPM = 175


def speak(text: str, *, voice: str = "kal", rate_wpm: float | None = None,
          sr: int = SR) -> np.ndarray:
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
            _run(_espeak_command(voice.removeprefix("espeak:"), text, rate_wpm, out))
        else:
            _run(_flite_command(voice, text, rate_wpm, out))
        return fade(_normalize(_load(out, sr)), sr)


def _flite_command(voice: str, text: str, rate_wpm: float | None, out: Path) -> list[str]:
    if voice not in FLITE_VOICES:
        raise ValueError(f"unknown voice {voice!r}: use one of {FLITE_VOICES} or "
                         "'espeak:<voice>' such as 'espeak:en-us+f3'")
    cmd = [_binary("flite", "flite"), "-voice", voice, "-t", text, "-o", str(out)]
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
    cmd = [_binary("espeak-ng", "espeak-ng"), "-v", spec, "-w", str(out), text]
    if rate_wpm is not None:
        cmd[1:1] = ["-s", str(int(round(rate_wpm)))]
    return cmd


@cache
def _espeak_listing(flag: str) -> tuple[list[str], ...]:
    """Rows of `espeak-ng <flag>`, split into columns, header dropped."""
    result = subprocess.run([_binary("espeak-ng", "espeak-ng"), flag], capture_output=True,
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


# --- MIDI rendering -----------------------------------------------------------------------

_TICKS_PER_BEAT = 960
_MIDI_TEMPO = 500_000  # microseconds per beat; notes are placed in seconds, so any value works


def render_notes(notes: list[Note], *, program: int = 0, sr: int = SR,
                 drums: bool = False) -> np.ndarray:
    """Render notes with FluidR3 through fluidsynth (no reverb or chorus).

    `program` is the 0-based GM program, or a DRUM_KITS preset when `drums` (notes then go
    to channel 10). Levels are as rendered (velocity matters); the clip ends RELEASE_S after
    the last note-off.
    """
    if not notes:
        raise ValueError("render_notes() needs at least one note")
    fluidsynth = _binary("fluidsynth", "fluidsynth")
    font = _data(SOUNDFONT, "fluid-soundfont-gm")
    with tempfile.TemporaryDirectory(prefix="synth-midi-") as tmp:
        mid, wav = Path(tmp) / "in.mid", Path(tmp) / "out.wav"
        _midi_file(notes, program, channel=9 if drums else 0).save(mid)
        _run([fluidsynth, "-ni", "-q", "-R", "0", "-C", "0", "-g", "0.6", "-r", "44100",
              "-F", str(wav), str(font), str(mid)])
        audio = _load(wav, sr)
    end_s = max(n.start_s + n.dur_s for n in notes) + RELEASE_S
    return fade(_fit(audio, end_s, sr), sr)


def _midi_file(notes: list[Note], program: int, channel: int) -> mido.MidiFile:
    """One track: program change, then note on/off events in time order (offs first)."""
    def tick(seconds: float) -> int:
        return int(round(mido.second2tick(seconds, _TICKS_PER_BEAT, _MIDI_TEMPO)))

    events = []
    for n in notes:
        if not (0 <= n.pitch_midi <= 127 and 1 <= n.velocity <= 127 and n.dur_s > 0):
            raise ValueError(f"bad note {n}: key 0-127, velocity 1-127, positive duration")
        events.append((tick(n.start_s), 1, "note_on", n.pitch_midi, n.velocity))
        events.append((tick(n.start_s + n.dur_s), 0, "note_off", n.pitch_midi, 0))
    track = mido.MidiTrack([mido.MetaMessage("set_tempo", tempo=_MIDI_TEMPO, time=0),
                            mido.Message("program_change", program=program, channel=channel)])
    now = 0
    for at, _, kind, key, velocity in sorted(events):
        track.append(mido.Message(kind, note=key, velocity=velocity, channel=channel,
                                  time=at - now))
        now = at
    # End the file after the release so fluidsynth renders the decay.
    track.append(mido.MetaMessage("end_of_track", time=tick(RELEASE_S + 0.5)))
    midi = mido.MidiFile(ticks_per_beat=_TICKS_PER_BEAT)
    midi.tracks.append(track)
    return midi


# --- musical builders ---------------------------------------------------------------------

def note_clip(pitch_midi: int, program: int, seconds: float = 2.0, sr: int = SR) -> np.ndarray:
    """One held note, `seconds` long in total (lead-in and release included)."""
    hold = max(seconds - LEAD_S - RELEASE_S, 0.1)
    audio = render_notes([Note(LEAD_S, hold, pitch_midi)], program=program, sr=sr)
    return fade(_normalize(_fit(audio, seconds, sr)), sr)


def chord_clip(root_midi: int, quality: str, program: int, seconds: float = 2.0,
               sr: int = SR) -> np.ndarray:
    """A block chord in root position on `root_midi`, `seconds` long in total."""
    if quality not in CHORD_INTERVALS:
        raise ValueError(f"unknown chord quality {quality!r}: use one of {list(CHORD_INTERVALS)}")
    hold = max(seconds - LEAD_S - RELEASE_S, 0.1)
    notes = [Note(LEAD_S, hold, root_midi + i, 90) for i in CHORD_INTERVALS[quality]]
    return fade(_normalize(_fit(render_notes(notes, program=program, sr=sr), seconds, sr)), sr)


def cadence_clip(tonic_pc: int, mode: Literal["major", "minor"], program: int,
                 tempo_bpm: float, rng: np.random.Generator, *, bars: int = 8,
                 sr: int = SR) -> np.ndarray:
    """I-IV-V-I (major) or i-iv-V-i (minor) in 4/4, one chord a bar, with bass and melody.

    Chords, a root bass on beats 1 and 3 and a stepwise quarter-note melody through the
    (harmonic minor) scale make the key unambiguous; the last bar always rests on the tonic.
    """
    if mode not in _SCALES:
        raise ValueError(f"mode must be 'major' or 'minor', not {mode!r}")
    if bars < 4:
        raise ValueError("a cadence needs at least 4 bars")
    beat = 60.0 / tempo_bpm
    notes: list[Note] = []
    melody_degree = 7  # start near the tonic's octave
    for bar in range(bars):
        start = LEAD_S + bar * 4 * beat
        degree = 0 if bar == bars - 1 else (0, 3, 4, 0)[bar % 4]
        triad = _triad(tonic_pc, mode, degree)
        notes += [Note(start, 4 * beat * 0.95, key, 70) for key in triad]
        notes += [Note(start + b * beat, 2 * beat * 0.9, 36 + (triad[0] - 36) % 12, 90)
                  for b in (0, 2)]
        if bar == bars - 1:
            notes.append(Note(start, 4 * beat * 0.95, _scale_key(tonic_pc, mode, 7), 100))
            continue
        melody_degree = _chord_third_near(melody_degree, degree)
        for b in range(4):
            key = _scale_key(tonic_pc, mode, melody_degree)
            notes.append(Note(start + b * beat, beat * 0.9, key, 100))
            melody_degree = int(np.clip(melody_degree + rng.choice((-1, 1)), *_MELODY_STEPS))
    return _normalize(render_notes(notes, program=program, sr=sr))


def _scale_key(tonic_pc: int, mode: str, step: int) -> int:
    """MIDI key of scale `step` (0 = tonic, 7 = its octave) above the tonic from C4 up."""
    return 60 + tonic_pc % 12 + 12 * (step // 7) + _SCALES[mode][step % 7]


def _triad(tonic_pc: int, mode: str, degree: int) -> list[int]:
    """Root-position triad on scale `degree`, root between G3 and F#4, third doubled above.

    The doubled third weighs the mode-defining notes, which key finders otherwise miss
    on quickly decaying instruments such as guitar.
    """
    keys = [_scale_key(tonic_pc, mode, degree + s) for s in (0, 2, 4, 9)]
    return [k - 12 for k in keys] if keys[0] > 66 else keys


def _chord_third_near(step: int, degree: int) -> int:
    """The third of the triad on `degree` nearest `step` in the melody range.

    Starting each bar on the chord's third puts the mode-defining notes on strong beats.
    """
    low, high = _MELODY_STEPS
    thirds = [s for s in range(low, high + 1) if (s - degree) % 7 == 2]
    return min(thirds, key=lambda s: abs(s - step))


def drum_loop(tempo_bpm: float, bars: int, rng: np.random.Generator, kit_program: int = 0,
              sr: int = SR) -> np.ndarray:
    """A 4/4 rock groove on the GM drum kit: kick on 1 and 3, snare on 2 and 4, eighth hats.

    The rng adds syncopated kicks and open hats and varies velocities; the tempo is exact and
    the clip lasts LEAD_S + bars * 4 beats.
    """
    beat = 60.0 / tempo_bpm
    notes = [Note(LEAD_S, 0.1, CRASH, 100)]
    for bar in range(bars):
        for eighth in range(8):
            t = LEAD_S + (bar * 4 + eighth / 2) * beat
            on_beat = eighth % 2 == 0
            hat = OPEN_HAT if eighth == 7 and rng.random() < 0.25 else CLOSED_HAT
            notes.append(Note(t, 0.1, hat, int(rng.integers(85, 110) if on_beat
                                               else rng.integers(55, 80))))
            if eighth in (0, 4) or (eighth in (5, 7) and rng.random() < 0.3):
                notes.append(Note(t, 0.1, KICK, int(rng.integers(100, 121))))
            if eighth in (2, 6):
                notes.append(Note(t, 0.1, SNARE, int(rng.integers(100, 121))))
    audio = render_notes(notes, program=kit_program, sr=sr, drums=True)
    return fade(_normalize(_fit(audio, LEAD_S + bars * 4 * beat, sr)), sr)


# --- real recordings ----------------------------------------------------------------------

_ASTERISK_PACKAGE = "asterisk-core-sounds-en-wav"


def asterisk_path(word: str) -> Path:
    """The recorded prompt for `word` ("hello", "digits/7", "7", "letters/a", "goodbye")."""
    root = _data(ASTERISK_DIR, _ASTERISK_PACKAGE)
    for folder in ("", "digits", "letters", "phonetic"):
        path = root / folder / f"{word}.wav"
        if path.is_file():
            return path
    raise ValueError(f"no Asterisk prompt {word!r} under {root}")


def asterisk_digits(digits: str, gap_s: float = 0.15, sr: int = SR) -> np.ndarray:
    """The real recorded digits of `digits` ("4071"), edge silence trimmed, `gap_s` apart."""
    if not digits or not digits.isdigit():
        raise ValueError(f"digits must be a non-empty string of 0-9, not {digits!r}")
    parts = [_trim_silence(_load(asterisk_path(f"digits/{d}"), sr), sr) for d in digits]
    speech = concat([silence(LEAD_S, sr), *parts, silence(LEAD_S, sr)], gap_s, sr)
    return fade(_normalize(speech), sr)


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
    root = _data(HYDROGEN_DIR, "hydrogen-drumkits")
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
         sr: int = SR, kit: str | None = None, instrument: str | None = None,
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
    x = _load(path, sr)
    start = int(np.argmax(np.abs(x) > 0.1 * np.max(np.abs(x))))
    x = x[max(start - int(0.002 * sr), 0):]  # keep 2 ms before the attack
    return _normalize(x[: int(1.0 * sr)], 0.8)


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
                sr: int = SR) -> tuple[np.ndarray, list[float]]:
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

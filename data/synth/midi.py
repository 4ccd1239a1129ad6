"""General MIDI rendered by fluidsynth with the FluidR3 soundfont, from notes placed in seconds."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import mido
import numpy as np

from audiorouter.tools.audio import SAMPLE_RATE

from .signals import fade, fit, load
from .system import binary, data_file, run

SOUNDFONT = Path("/usr/share/sounds/sf2/FluidR3_GM.sf2")
# Release left after the last MIDI note-off, so instruments decay naturally.
RELEASE_S = 0.5

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


_TICKS_PER_BEAT = 960
_MIDI_TEMPO = 500_000  # microseconds per beat; notes are placed in seconds, so any value works


def render_notes(notes: list[Note], *, program: int = 0, sr: int = SAMPLE_RATE,
                 drums: bool = False) -> np.ndarray:
    """Render notes with FluidR3 through fluidsynth (no reverb or chorus).

    `program` is the 0-based GM program, or a DRUM_KITS preset when `drums` (notes then go
    to channel 10). Levels are as rendered (velocity matters); the clip ends RELEASE_S after
    the last note-off.
    """
    if not notes:
        raise ValueError("render_notes() needs at least one note")
    fluidsynth = binary("fluidsynth", "fluidsynth")
    font = data_file(SOUNDFONT, "fluid-soundfont-gm")
    with tempfile.TemporaryDirectory(prefix="synth-midi-") as tmp:
        mid, wav = Path(tmp) / "in.mid", Path(tmp) / "out.wav"
        _midi_file(notes, program, channel=9 if drums else 0).save(mid)
        run([fluidsynth, "-ni", "-q", "-R", "0", "-C", "0", "-g", "0.6", "-r", "44100",
              "-F", str(wav), str(font), str(mid)])
        audio = load(wav, sr)
    end_s = max(n.start_s + n.dur_s for n in notes) + RELEASE_S
    return fade(fit(audio, end_s, sr), sr)


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

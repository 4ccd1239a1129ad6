"""Ground-truth audio from real recordings and real renderers, for tests and benchmarks.

Speech comes from flite / espeak-ng with a known text and voice (``speech``), music from
FluidR3 General MIDI rendered by fluidsynth from MIDI we write (``midi``, ``music``), drum hits
from the real one-shot samples of the hydrogen kits and digits from the real recorded Asterisk
prompts (``events``, ``speech``); ``signals`` holds the clip conventions (mono float32, faded
edges). Randomness only comes from the numpy Generator passed in, so a seed gives the same
audio. Nothing touches the network; a missing binary or data file raises a RuntimeError
naming the Debian package to install (``system``).
"""

from .events import events_clip, hits, hydrogen_kits
from .midi import DRUM_KITS, PITCHED_PROGRAMS, RELEASE_S, Note, render_notes
from .music import CHORD_INTERVALS, cadence_clip, chord_clip, drum_loop, note_clip
from .signals import LEAD_S, concat, fade, mix, silence, tone, white_noise, write_wav
from .speech import (ASTERISK_SEX, FLITE_VOICES, VOICE_MEDIAN_F0_HZ, VOICE_SEX, asterisk_digits, asterisk_path,
                     speak)

__all__ = ["ASTERISK_SEX", "CHORD_INTERVALS", "DRUM_KITS", "FLITE_VOICES", "LEAD_S", "Note",
           "PITCHED_PROGRAMS", "RELEASE_S", "VOICE_MEDIAN_F0_HZ", "VOICE_SEX", "asterisk_digits",
           "asterisk_path", "cadence_clip", "chord_clip", "concat", "drum_loop", "events_clip", "fade",
           "hits", "hydrogen_kits", "mix", "note_clip", "render_notes", "silence", "speak", "tone",
           "white_noise", "write_wav"]

"""Render the bundled example clip (tools/examples/voice_then_knocks.wav), reproducibly.

    python -m audiorouter.data.synth.example
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .events import hits
from .signals import concat, silence, write_wav
from .speech import speak

OUT = Path(__file__).resolve().parents[2] / "tools" / "examples" / "voice_then_knocks.wav"


def render() -> np.ndarray:
    voice = speak("The delivery arrives at four thirty.", voice="slt")
    knocks, _ = hits(3, rng=np.random.default_rng(11), instrument="tom", gap_range_s=(0.4, 0.6))
    return concat([voice, silence(0.5), knocks])


if __name__ == "__main__":
    print(write_wav(OUT, render()))

"""Render the bundled example clip (tools/examples/voice_then_knocks.wav), reproducibly.

    python -m audiorouter.evals.make_example
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from audiorouter.evals import synth

OUT = Path(__file__).resolve().parents[1] / "tools" / "examples" / "voice_then_knocks.wav"


def render() -> np.ndarray:
    voice = synth.speak("The delivery arrives at four thirty.", voice="slt")
    knocks, _ = synth.hits(3, rng=np.random.default_rng(11), instrument="tom", gap_range_s=(0.4, 0.6))
    return synth.concat([voice, synth.silence(0.5), knocks])


if __name__ == "__main__":
    print(synth.write_wav(OUT, render()))

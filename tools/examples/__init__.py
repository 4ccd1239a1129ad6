"""A small real example clip shipped with the package (rendered by data/synth/example.py)."""

from pathlib import Path

EXAMPLE_CLIP = Path(__file__).with_name("voice_then_knocks.wav")
EXAMPLE_DESCRIPTION = ("a synthetic female voice (flite slt) says 'The delivery arrives at four "
                       "thirty.', then three real tom-drum hits from a Hydrogen kit")
EXAMPLE_QUESTION = "How many knocks come after the voice?"
EXAMPLE_CHOICES = ["2", "3", "4", "5"]

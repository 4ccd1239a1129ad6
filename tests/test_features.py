import numpy as np
import pytest

from audiorouter.agent.routers.features import FEATURE_DIM, TEXT_DIM, Featurizer
from audiorouter.data import synth
from audiorouter.tools import load_audio

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def featurize():
    return Featurizer()


def test_layout_and_caching(featurize):
    clip = load_audio(synth.tone(440, 1.0), 16_000)
    x = featurize("Which note is played?", ["A4", "C5"], clip)
    assert x.shape == (FEATURE_DIM,) and x.dtype == np.float32 and np.isfinite(x).all()
    np.testing.assert_array_equal(x, featurize("Which note is played?", ["A4", "C5"], clip))
    assert np.isclose(np.linalg.norm(x[:TEXT_DIM]), 1, atol=1e-4)  # normalised embedding


def test_similar_questions_are_closer_than_different_ones(featurize):
    count, count2, pitch = featurize.embed(["How many knocks are there?",
                                            "Count the number of knocks.",
                                            "What is the pitch of the singer's voice?"])
    assert count @ count2 > count @ pitch + 0.2


def test_audio_part_tells_speech_from_music(featurize):
    speech = featurize.audio(load_audio(synth.speak("this is a test of the voice", voice="slt"), 16_000))
    tone = featurize.audio(load_audio(synth.tone(440, 2.0), 16_000))
    # AudioSet class 0 is "Speech"
    assert speech[0] > 0.5 > tone[0]


def test_a_damaged_features_entry_is_recomputed(featurize):
    clip = load_audio(synth.tone(660, 1.0), 16_000)
    x = featurize.audio(clip)
    featurize._audio.put(clip.id, "00ff")  # a torn write: 2 bytes, not 525 floats
    featurize._audio.clear_memory()
    with pytest.warns(UserWarning, match="dropped the damaged cache entry"):
        again = featurize.audio(clip)
    np.testing.assert_array_equal(again, x)

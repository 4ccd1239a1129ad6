import numpy as np
import pytest

from audiorouter.tools import run_tools
from audiorouter.tools.errors import UnknownClipError, UnknownToolError
from conftest import sine


def test_results_come_back_in_call_order_with_args():
    audio = (np.concatenate([sine(440, 1.0), np.zeros(8000, np.float32)]), 16_000)
    parallel = run_tools(audio, {"measure_loudness": {}, "audio_info": {}})
    assert [r.tool for r in parallel] == ["measure_loudness", "audio_info"]
    sequential = run_tools(audio, ["audio_info"], parallel=False)
    assert sequential[0].duration_s == pytest.approx(1.5)


def test_unknown_tools_are_refused_before_anything_runs():
    with pytest.raises(UnknownToolError):
        run_tools((sine(), 16_000), ["audio_info", "nope"])


def test_bad_audio_is_one_typed_error_before_any_tool_runs():
    with pytest.raises(UnknownClipError, match="pass the audio itself"):
        run_tools("clip:ffffffffffffffffffff", ["audio_info", "measure_loudness"])

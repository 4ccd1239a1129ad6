import numpy as np
import pytest

from audiorouter.agent.routers.routing import AllToolsRouter, FixedRouter, NoToolsRouter, RandomRouter, Route
from audiorouter.tools import load_audio, tool_names
from audiorouter.tools.errors import UnknownToolError
from conftest import sine


@pytest.fixture
def clip():
    return load_audio(sine(), 16_000)


def test_simple_routers(clip):
    assert NoToolsRouter().decide("q", None, clip).calls == []
    assert AllToolsRouter().decide("q", None, clip).tools == tool_names()
    assert AllToolsRouter(["audio_info", "analyze_pitch"]).decide("q", None, clip).tools == \
        [n for n in tool_names() if n in {"audio_info", "analyze_pitch"}]


def test_fixed_router_returns_independent_copies(clip):
    router = FixedRouter({"analyze_pitch": {"ceiling_hz": 1500}})
    first = router.decide("q", None, clip)
    first.calls[0].args["ceiling_hz"] = 1
    assert router.decide("q", None, clip).calls[0].args == {"ceiling_hz": 1500}


def test_routes_refuse_unknown_tools():
    with pytest.raises(UnknownToolError):
        Route.of(["count_sheep"])


def test_random_router_is_seeded_per_item():
    clips = [load_audio((sine(100 + 10 * i, 0.2), 16_000)) for i in range(40)]
    router = RandomRouter(seed=7)
    first = [router.decide("q", ["a", "b"], c).tools for c in clips]
    assert [router.decide("q", ["a", "b"], c).tools for c in reversed(clips)] == first[::-1]
    assert [RandomRouter(seed=8).decide("q", ["a", "b"], c).tools for c in clips] != first
    assert 3.5 < np.mean([len(t) for t in first]) < 6.5  # each of 10 tools with p = 0.5

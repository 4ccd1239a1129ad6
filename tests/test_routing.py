import pytest

from audiorouter.agent.routing import AllToolsRouter, FixedRouter, NoToolsRouter, Route
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

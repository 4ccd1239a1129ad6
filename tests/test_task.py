"""A declared evaluation task: its routers by name, and a run that keeps its setup."""

import json

import pytest

from audiorouter.agent.routers.routing import NoToolsRouter
from audiorouter.data.items import Item
from audiorouter.evals.oracle import ORACLE
from audiorouter.evals.task import EvalTask, make_routers
from audiorouter.tools import AudioRouterError


class NeverAsked:
    name = "never"

    def answer(self, clip, question, choices, evidence):
        raise AssertionError("no audio, so no question")


def test_make_routers_by_name():
    routers = make_routers(["none", "all", "random", ORACLE])
    assert list(routers) == ["none", "all", "random"]
    with pytest.raises(AudioRouterError, match="unknown router"):
        make_routers(["none", "psychic"])


def test_a_task_runs_into_a_folder_that_keeps_its_setup(tmp_path):
    item = Item(id="q0", audio_id="gone.wav", audio_file=tmp_path / "gone.wav", question="?",
                choices=["a", "b"], answer="a", task="sound")
    task = EvalTask([item], {"none": NoToolsRouter()}, NeverAsked(), oracle=False, setup={"seed": "3"})
    result = task.run(tmp_path / "out")
    assert list(result.records) == ["none"] and result.records["none"][0]["error"]
    assert json.loads((tmp_path / "out" / "setup.json").read_text()) == {"reasoner": "never", "seed": "3"}
    assert not (tmp_path / "out" / f"predictions-{ORACLE}.json").exists()

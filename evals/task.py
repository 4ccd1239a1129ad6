"""An evaluation task, declared: the items, the routers, the reasoner, whether the oracle scores
their routes, and the setup a resumed run must match (an lm-eval / inspect_ai-sized unit).
`EvalTask.run` hands it to `evaluate`; `dataset_task` declares one from a dataset file and
router names, as ``audiorouter eval`` does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from audiorouter.agent.reasoners.answer import Reasoner
from audiorouter.agent.routers.registry import ROUTER_NAMES as REGISTERED_ROUTERS, make_router
from audiorouter.agent.routers.routing import Router
from audiorouter.data.items import Item
from audiorouter.tools import ModelSpec
from audiorouter.tools.errors import AudioRouterError

from .log import file_identity
from .oracle import ORACLE
from .runner import Evaluation, evaluate
from .schedule import Answers

ROUTER_NAMES = (*REGISTERED_ROUTERS, ORACLE)


@dataclass(frozen=True)
class EvalTask:
    """What one evaluation answers and scores; where it writes is the run's, not the task's."""

    items: Sequence[Item]
    routers: Mapping[str, Router]
    reasoner: Reasoner
    oracle: bool = True
    setup: Mapping[str, str] | None = None

    def run(self, out_dir: str | Path, *, progress: bool = False, answers: Answers | None = None) -> Evaluation:
        """Evaluate into ``out_dir``; ``answers``: where items are answered (`evaluate`)."""
        return evaluate(self.items, self.routers, self.reasoner, out_dir, oracle=self.oracle,
                        setup=self.setup, progress=progress, answers=answers)


def dataset_task(dataset: Path, names: Sequence[str], *, reasoner: str, checkpoint: Path | None = None,
                 seed: int = 0, limit: int | None = None) -> EvalTask:
    """The task of ``audiorouter eval``: the routers named (the oracle among them or not) and
    the cascade reasoner on the dataset's first ``limit`` items. Its setup is what the results
    depend on: resuming under other values is refused. A checkpoint only shapes the learned
    router's records, so a first run without one can add it later."""
    from audiorouter.agent.reasoners.cascade import CascadeReasoner
    from audiorouter.agent.reasoners.registry import GGUF_MODELS
    from audiorouter.data.items import load_items
    from audiorouter.tools.registry import tool_versions

    model = GGUF_MODELS.get(reasoner, reasoner)
    items = load_items(dataset)[:limit]
    routers = make_routers(names, checkpoint=checkpoint and str(checkpoint), llm=model, seed=seed)
    setup = {"dataset": file_identity(dataset), "random seed": str(seed), "tools": tool_versions(),
             **({"learned checkpoint": file_identity(checkpoint)} if checkpoint else {})}
    return EvalTask(items, routers, CascadeReasoner(model), ORACLE in names, setup)


def make_routers(names: Sequence[str], *, checkpoint: str | None = None, seed: int = 0,
                 llm: ModelSpec | str | None = None) -> dict[str, Router]:
    """Routers by name (`agent.routers.registry`); ``oracle`` is no router (it is the task's
    ``oracle`` flag) and is skipped. ``llm`` is the LLM router's GGUF (default: the package
    default, Qwen 1.5B)."""
    unknown = sorted(set(names) - set(ROUTER_NAMES))
    if unknown:
        raise AudioRouterError(f"unknown router(s) {unknown}: choose from {', '.join(ROUTER_NAMES)}")
    return {name: make_router(name, checkpoint=checkpoint, seed=seed, llm=llm)
            for name in dict.fromkeys(names) if name != ORACLE}

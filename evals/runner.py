"""Evaluate routers on a dataset: every router, the same items, one frozen reasoner, resumable.

`evaluate` is the entry: it runs the schedule (`schedule.py`: a route pass, then an answer
pass, per chunk), scores the oracle over the answered routes (`oracle.py`) and keeps every
result in the resumable log (`log.py`).

Decided routes go to ``routes.jsonl``, finished items to ``predictions-<router>.jsonl`` (one
flushed line each): a rerun skips both, and retries records that carry an error. At the end
``predictions-<router>.json`` holds the latest record per item as a JSON list, the input
MMAU's evaluation script reads.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from audiorouter.agent.reasoners.answer import Reasoner
from audiorouter.agent.routers.routing import Router
from audiorouter.data.items import Item
from audiorouter.tools.errors import AudioRouterError

from .log import JsonlLog, check_setup, latest, latest_by_id
from .oracle import ORACLE, join_late_routers
from .schedule import Answers, Session


@dataclass
class Evaluation:
    """What `evaluate` returns: the latest record of every item per router, and its cost."""

    records: dict[str, list[dict]]
    wall_s: float
    stage_s: dict[str, float]  # wall seconds of this call in route / tools / reason
    answered: int  # items this call worked on; the others were finished by an earlier call


def evaluate(items: Sequence[Item], routers: Mapping[str, Router], reasoner: Reasoner,
             out_dir: str | Path, *, oracle: bool = True, setup: Mapping[str, str] | None = None,
             progress: bool = False, answers: Answers | None = None) -> Evaluation:
    """Evaluate each router (and the oracle) on ``items``, appending to ``out_dir``'s files.

    ``setup`` (with the reasoner's name) is kept in ``setup.json``: resuming into a folder
    made with another value of any of its keys is refused rather than mixing results.
    ``answers``: where items are answered once routed (default: here, with ``reasoner``;
    `ray_answers.RayAnswers`: on Ray workers); the files written are the same.
    """
    start = time.perf_counter()
    if ORACLE in routers:
        raise AudioRouterError(f"{ORACLE!r} names the oracle; give the router another name")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    check_setup(out_dir / "setup.json", {"reasoner": reasoner.name, **(setup or {})})
    names = [*routers, *([ORACLE] if oracle else [])]
    logs = {name: JsonlLog(out_dir / f"predictions-{name}.jsonl") for name in names}
    finished = {name: {r["id"] for r in latest_by_id(log.records).values() if not r.get("error")}
                for name, log in logs.items()}
    session = Session(routers, reasoner, JsonlLog(out_dir / "routes.jsonl"), answers)

    def todo(item: Item) -> list[str]:
        return [name for name in names if item.id not in finished[name]]

    pending = [item for item in items if todo(item)]
    session.run(pending, todo, lambda record: logs[record["router"]].append(record), progress)
    records = {name: latest(log.records, items) for name, log in logs.items()}
    if oracle:  # routers added after an item's oracle: their answers join it, with no new prompt
        for joined in join_late_routers(items, records, list(routers)):
            logs[ORACLE].append(joined)
        records[ORACLE] = latest(logs[ORACLE].records, items)
    for name, recs in records.items():
        (out_dir / f"predictions-{name}.json").write_text(json.dumps(recs, indent=1, ensure_ascii=False))
    return Evaluation(records, round(time.perf_counter() - start, 3),
                      {k: round(v, 3) for k, v in session.stage_s.items()}, len(pending))


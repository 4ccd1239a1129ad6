"""Evaluate routers on a dataset: every router, the same items, one frozen reasoner, resumable.

A CPU reasoner's cost is prompt tokens, so the work comes in two passes over each chunk of
`ROUTE_AHEAD` items:

1. **route**: each router decides the chunk's items back to back (the LLM router's fixed
   prompt of tool schemas stays in the KV cache while it does).
2. **answer**: per item, every distinct route (of the routers and the oracle's candidates) is
   answered once, in lexicographic order of tool calls. Tools run once per clip (the union
   of all routes' calls, in parallel, through the tool cache); a route two routers chose is
   answered once.

The oracle picks, per item, the best route among no tools, each single tool, all tools and
the routes the other routers took (so it bounds every router it is reported with): a correct
answer first, then the reasoner's higher probability of the right option, then fewer tools,
then the earlier route in prompt order. A router added later is answered alone, and its
answers join the oracle's record with no new prompt (`_join_oracle`): the oracle bounds every
router by construction, and where the reasoner answers a prompt the same each time its pick
and scores are those a single pass over all routes gives.

Decided routes go to ``routes.jsonl``, finished items to ``predictions-<router>.jsonl`` (one
flushed line each): a rerun skips both, and retries records that carry an error. At the end
``predictions-<router>.json`` holds the latest record per item as a JSON list, the input
MMAU's evaluation script reads.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from tqdm import tqdm

from audiorouter.agent.reasoners.answer import Answer, Reasoner
from audiorouter.agent.routers.registry import ROUTER_NAMES as REGISTERED_ROUTERS, make_router
from audiorouter.agent.routers.routing import Route, Router, ToolCall
from audiorouter.data.items import Item
from audiorouter.data.mmau import is_correct
from audiorouter.tools import Clip, Evidence, ModelSpec, get_tool, load_audio, run_tools, tool_names
from audiorouter.tools.errors import AudioRouterError

ORACLE = "oracle"
# Items routed before they are answered. An LLM router and a local reasoner share one model
# context, and each switch between them re-evaluates the reasoner's fixed prompt prefix, so
# routes are decided a chunk at a time; a chunk is small so that answers are written from the
# first minutes of a run on.
ROUTE_AHEAD = 16
ROUTER_NAMES = (*REGISTERED_ROUTERS, ORACLE)

CallKey = tuple[str, str]  # (tool, its parsed arguments as canonical JSON)
RouteKey = tuple[CallKey, ...]


def make_routers(names: Sequence[str], *, checkpoint: str | None = None, seed: int = 0,
                 llm: ModelSpec | str | None = None) -> dict[str, Router]:
    """Routers by name (`agent.routers.registry`); ``oracle`` is no router (it is `evaluate`'s
    ``oracle`` flag) and is skipped. ``llm`` is the LLM router's GGUF (default: the package
    default, Qwen 1.5B)."""
    unknown = sorted(set(names) - set(ROUTER_NAMES))
    if unknown:
        raise AudioRouterError(f"unknown router(s) {unknown}: choose from {', '.join(ROUTER_NAMES)}")
    return {name: make_router(name, checkpoint=checkpoint, seed=seed, llm=llm)
            for name in dict.fromkeys(names) if name != ORACLE}


@dataclass
class Evaluation:
    """What `evaluate` returns: the latest record of every item per router, and its cost."""

    records: dict[str, list[dict]]
    wall_s: float
    stage_s: dict[str, float]  # wall seconds of this call in route / tools / reason
    answered: int  # items this call worked on; the others were finished by an earlier call


def evaluate(items: Sequence[Item], routers: Mapping[str, Router], reasoner: Reasoner,
             out_dir: str | Path, *, oracle: bool = True, setup: Mapping[str, str] | None = None,
             progress: bool = False) -> Evaluation:
    """Evaluate each router (and the oracle) on ``items``, appending to ``out_dir``'s files.

    ``setup`` (with the reasoner's name) is kept in ``setup.json``: resuming into a folder
    made with another value of any of its keys is refused rather than mixing results.
    """
    start = time.perf_counter()
    if ORACLE in routers:
        raise AudioRouterError(f"{ORACLE!r} names the oracle; give the router another name")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    _check_setup(out_dir / "setup.json", {"reasoner": reasoner.name, **(setup or {})})
    names = [*routers, *([ORACLE] if oracle else [])]
    logs = {name: JsonlLog(out_dir / f"predictions-{name}.jsonl") for name in names}
    latest = {name: {r["id"]: r for r in log.records} for name, log in logs.items()}
    finished = {name: {i for i, r in last.items() if not r.get("error")} for name, last in latest.items()}
    session = _Session(routers, reasoner, JsonlLog(out_dir / "routes.jsonl"))

    def todo(item: Item) -> list[str]:
        return [name for name in names if item.id not in finished[name]]

    pending = [item for item in items if todo(item)]
    with tqdm(total=len(pending), desc="evaluate", unit="item", disable=not progress) as bar:
        for first in range(0, len(pending), ROUTE_AHEAD):
            chunk = pending[first:first + ROUTE_AHEAD]
            bar.set_postfix_str("routing")
            for item in chunk:
                session.route_ahead(item, todo(item))
            bar.set_postfix_str("answering")
            for item in chunk:
                for record in session.answer(item, todo(item)):
                    logs[record["router"]].append(record)
                bar.update()
    records = {name: _latest(log.records, items) for name, log in logs.items()}
    if oracle:  # routers added after an item's oracle: their answers join it, with no new prompt
        by_id = {name: {r["id"]: r for r in recs} for name, recs in records.items()}
        for item in items:
            if item.id in by_id[ORACLE]:
                joined = _join_oracle(item, by_id[ORACLE][item.id], [by_id[n].get(item.id) for n in routers])
                if joined is not by_id[ORACLE][item.id]:
                    logs[ORACLE].append(joined)
        records[ORACLE] = _latest(logs[ORACLE].records, items)
    for name, recs in records.items():
        (out_dir / f"predictions-{name}.json").write_text(json.dumps(recs, indent=1, ensure_ascii=False))
    return Evaluation(records, round(time.perf_counter() - start, 3),
                      {k: round(v, 3) for k, v in session.stage_s.items()}, len(pending))


def file_identity(path: str | Path, *, full_path: bool = False) -> str:
    """A file named by its content, for a setup: the same dataset or checkpoint resumes from
    anywhere, and one rewritten in place (a retrained router) is not taken for the old one.
    ``full_path`` names it by its whole path, for a reader rather than for comparison."""
    path = Path(path)
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    except OSError as exc:
        raise AudioRouterError(f"cannot read {path}: {exc.strerror}") from None
    return f"{path if full_path else path.name} (sha256 {digest})"


def _check_setup(path: Path, setup: Mapping[str, str]) -> None:
    known = json.loads(path.read_text()) if path.exists() else {}
    clashes = {k: (known[k], v) for k, v in setup.items() if k in known and known[k] != v}
    if clashes:
        raise AudioRouterError(f"{path.parent} holds results of another setup ({clashes}, as (then, now)): "
                               "pick another output folder, or delete this one to start over")
    path.write_text(json.dumps({**known, **setup}, indent=1))


class JsonlLog:
    """An append-only JSON-lines file, one line per record, written whole and closed at once.
    A torn last line (killed mid-write) is cut on reopen, so nothing after it is corrupted."""

    def __init__(self, path: Path):
        self.path = path
        self.records: list[dict] = []
        if path.exists():
            text = path.read_text(encoding="utf-8")
            complete = text[: text.rfind("\n") + 1]
            if complete != text:
                path.write_text(complete, encoding="utf-8")
            self.records = [json.loads(line) for line in complete.splitlines() if line.strip()]

    def append(self, record: dict) -> None:
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.records.append(record)


def _latest(records: Iterable[dict], items: Sequence[Item]) -> list[dict]:
    """The last record of each item (retries come later in the log), in the items' order."""
    last = {r["id"]: r for r in records}
    return [last[item.id] for item in items if item.id in last]


class _Session:
    """One `evaluate` call: the routers, the reasoner, the route log and the stage clock."""

    def __init__(self, routers: Mapping[str, Router], reasoner: Reasoner, routes: JsonlLog):
        self.routers = routers
        self.reasoner = reasoner
        self.route_log = routes
        self.decisions = {(r["router"], r["id"]): r for r in routes.records}
        self.stage_s: Counter[str] = Counter()

    def needed(self, names: list[str]) -> list[str]:
        """The routers whose route an item needs: its pending ones, all of them for the oracle."""
        return [n for n in self.routers if n in names or ORACLE in names]

    def route_ahead(self, item: Item, names: list[str]) -> None:
        """Decide now, in the routing pass; audio that fails to load fails in the answer pass."""
        try:
            clip = load_audio(item.audio)
        except AudioRouterError:
            return
        for name in self.needed(names):
            self.decide(name, item, clip)

    def decide(self, name: str, item: Item, clip: Clip) -> tuple[Route, float]:
        """The router's route for the item (logged once, re-used after); a failing router means
        no tools, as in the graph."""
        if (name, item.id) not in self.decisions:
            start = time.perf_counter()
            try:
                route = self.routers[name].decide(item.question, item.choices, clip)
            except Exception as exc:
                route = Route(note=f"router failed ({type(exc).__name__}: {exc}); answering without tools")
            seconds = round(time.perf_counter() - start, 4)
            self.stage_s["route"] += seconds
            line = {**route.model_dump(mode="json"), "router": name, "id": item.id, "seconds": seconds}
            self.route_log.append(line)
            self.decisions[(name, item.id)] = line
        line = self.decisions[(name, item.id)]
        return Route.model_validate(line), line["seconds"]

    def answer(self, item: Item, names: list[str]) -> list[dict]:
        """Records of ``names`` for one item; any failure becomes an error record for each."""
        try:
            clip = load_audio(item.audio)
            chosen = {n: self.decide(n, item, clip) for n in self.needed(names)}
            candidates = {_key(route): route for route, _ in chosen.values()}
            if ORACLE in names:
                candidates = {**{_key(r): r for r in oracle_routes()}, **candidates}
            evidence = self._run_tools(clip, {c for k in candidates for c in k})
            answers = {k: self._answer(clip, item, [evidence[c] for c in k])
                       for k in sorted(candidates, key=_prefix_order)}
        except Exception as exc:
            return [_failed(item, name, exc) for name in names]
        records = [_record(item, n, route, answers[_key(route)], evidence, seconds)
                   for n, (route, seconds) in chosen.items() if n in names]
        if ORACLE in names:
            records.append(_oracle_record(item, candidates, answers, evidence))
        return records

    def _run_tools(self, clip: Clip, calls: set[CallKey]) -> dict[CallKey, Evidence]:
        """Each distinct call once, in parallel; `run_tools` takes one call per tool, so a tool
        asked with two argument sets runs again in a second batch."""
        start = time.perf_counter()
        results: dict[CallKey, Evidence] = {}
        pending = sorted(calls)
        while pending:
            batch: dict[str, str] = {}
            for name, args in pending:
                batch.setdefault(name, args)
            outputs = run_tools(clip, {name: json.loads(args) for name, args in batch.items()})
            results.update(zip(batch.items(), outputs))
            pending = [c for c in pending if c not in results]
        self.stage_s["tools"] += time.perf_counter() - start
        return results

    def _answer(self, clip: Clip, item: Item, evidence: list[Evidence]) -> Answer:
        start = time.perf_counter()
        try:
            answer = self.reasoner.answer(clip, item.question, item.choices, evidence)
        except Exception as exc:  # one route's failure, not the item's
            answer = Answer(text="", error=f"reasoner failed ({type(exc).__name__}): {exc}")
        seconds = time.perf_counter() - start
        self.stage_s["reason"] += seconds
        return answer.model_copy(update={"seconds": round(seconds, 4)})


def oracle_routes() -> list[Route]:
    """The oracle's fixed candidates: no tools, each single tool, all tools."""
    return [Route(router=ORACLE), *(Route.of([t], router=ORACLE) for t in tool_names()),
            Route.of(tool_names(), router=ORACLE)]


def _call_key(call: ToolCall) -> CallKey:
    args = get_tool(call.name).parse_args(call.args).model_dump(mode="json")
    return call.name, json.dumps(args, sort_keys=True)


def _key(route: Route) -> RouteKey:
    return tuple(_call_key(c) for c in route.calls)


def _route_name(key: RouteKey) -> str:
    """A route as the oracle's scores name it: 'none', 'all', else its tools joined by '+', a
    call with other than its tool's default arguments written tool{arguments}."""
    if key == _key(oracle_routes()[-1]):
        return "all"
    return "+".join(name if args == _call_key(ToolCall(name=name))[1] else f"{name}{args}"
                    for name, args in key) or "none"


def _prefix_order(key: RouteKey) -> list[tuple[int, str]]:
    """Sort routes as the tools appear in prompts: neighbours then share the longest prefix."""
    order = {name: i for i, name in enumerate(tool_names())}
    return [(order[name], args) for name, args in key]


def _record(item: Item, router: str, route: Route, answer: Answer,
            evidence: Mapping[CallKey, Evidence], route_s: float) -> dict:
    return {**item.record(), "model_output": answer.text, "model_prediction": answer.text,
            "router": router, "tools_used": route.tools,
            "calls": [c.model_dump(mode="json") for c in route.calls],
            "choice": answer.choice, "probabilities": answer.probabilities,
            "correct": is_correct(item.answer, answer.text, item.choices),
            "seconds": {"route": route_s, "tools": round(sum(evidence[c].seconds for c in _key(route)), 4),
                        "reason": answer.seconds},
            "note": route.note, "error": answer.error}


def _merit(item: Item, record: dict) -> tuple[bool, float, int]:
    """What the oracle prefers, in turn: a correct answer, the reasoner's higher probability of
    the right option, fewer tools."""
    p_right = (record["probabilities"] or [0.0] * len(item.choices))[item.answer_index]
    return record["correct"], p_right, -len(record["calls"])


def _score(merit: tuple[bool, float, int]) -> dict:
    """A route's entry in the oracle's ``route_scores``."""
    return {"correct": merit[0], "p": round(merit[1], 5)}


def _oracle_record(item: Item, candidates: Mapping[RouteKey, Route], answers: Mapping[RouteKey, Answer],
                   evidence: Mapping[CallKey, Evidence]) -> dict:
    """The best candidate's record; its cost is every candidate's (what the bound takes)."""
    records = {key: _record(item, ORACLE, candidates[key], answer, evidence, 0.0) for key, answer in answers.items()}
    merits = {key: _merit(item, record) for key, record in records.items()}
    best = max(merits, key=merits.__getitem__)  # answers come in prompt order; ties: the first
    record = records[best]
    errors = [a.error for a in answers.values() if a.error]
    record.update(
        seconds={"route": 0.0, "tools": round(sum(e.seconds for e in evidence.values()), 4),
                 "reason": round(sum(a.seconds for a in answers.values()), 4)},
        note=f"best of {len(answers)} routes", error=errors[0] if errors else None,
        route_scores={_route_name(key): _score(merit) for key, merit in merits.items()})
    return record


def _join_oracle(item: Item, oracle: dict, routers: Iterable[dict | None]) -> dict:
    """The oracle record with the routers' answers on the item joined in: a route it never
    scored is added to its scores, and an answer that `_beats` its pick becomes the pick.
    Unchanged, it is returned as it is.

    So the oracle bounds every router, even one added later, without asking the reasoner
    again; the reasoner scores a prompt the same each time (`local_llm`'s anchors), so the
    pick and scores are those of a single pass over all routes.
    Each new route adds its reasoner time to the cost; the tool time stays the oracle's (every
    default call), so a router's calls with other arguments count in that router's cost only."""
    if "route_scores" not in oracle:  # the item itself failed: nothing to join
        return oracle
    pick, scores, reason_s = oracle, dict(oracle["route_scores"]), oracle["seconds"]["reason"]
    for record in routers:
        if not record or record.get("error"):
            continue
        name, score = _route_name(_record_key(record)), _score(_merit(item, record))
        if name not in scores:
            reason_s += record["seconds"]["reason"]
        if name not in scores or (score["correct"], score["p"]) > (scores[name]["correct"], scores[name]["p"]):
            scores[name] = score
        if _beats(item, record, pick):
            pick = record
    if pick is oracle and scores == oracle["route_scores"]:
        return oracle
    return {**pick, "router": ORACLE, "error": oracle.get("error"),
            "note": f"best of {len(scores)} routes", "route_scores": scores,
            "seconds": {**oracle["seconds"], "reason": round(reason_s, 4)}}


def _beats(item: Item, record: dict, pick: dict) -> bool:
    """Whether the oracle takes ``record`` over ``pick``: more merit, or as much and earlier in
    prompt order (a single pass answers in that order and keeps the first best)."""
    mine, theirs = _merit(item, record), _merit(item, pick)
    return mine > theirs or (mine == theirs and _prefix_order(_record_key(record)) < _prefix_order(_record_key(pick)))


def _record_key(record: dict) -> RouteKey:
    return _key(Route.model_validate({"calls": record["calls"]}))


def _failed(item: Item, router: str, exc: Exception) -> dict:
    """An item that could not be answered: an empty prediction (wrong, as MMAU scores it)."""
    return _record(item, router, Route(), Answer(text="", error=f"{type(exc).__name__}: {exc}"), {}, 0.0)

"""The schedule of one `evaluate` call: a route pass, then an answer pass, per chunk of items.

A CPU reasoner's cost is prompt tokens, so:

1. **route**: each router decides a chunk's items back to back (the LLM router's fixed prompt
   of tool schemas stays in the KV cache while it does).
2. **answer**: per item, every distinct route (of the routers and the oracle's candidates) is
   answered once, in lexicographic order of tool calls. Tools run once per clip (the union of
   all routes' calls, in parallel, through the tool cache); a route two routers chose is
   answered once. `Answerer` does this for one item; `LocalAnswers` runs it here and
   `ray_answers.RayAnswers` on Ray workers, and `InOrder` keeps the records in the items'
   order either way.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from typing import Callable, Mapping, Protocol, Sequence

from tqdm import tqdm

from audiorouter.agent.reasoners.answer import Answer, Reasoner
from audiorouter.agent.routers.routing import Route, Router
from audiorouter.data.items import Item
from audiorouter.tools import Clip, Evidence, load_audio, run_tools
from audiorouter.tools.errors import AudioRouterError

from .log import JsonlLog
from .oracle import ORACLE, oracle_record, oracle_routes
from .records import CallKey, failed_record, prefix_order, route_key, route_record

# Items routed before they are answered. An LLM router and a local reasoner share one model
# context, and each switch between them re-evaluates the reasoner's fixed prompt prefix, so
# routes are decided a chunk at a time; a chunk is small so that answers are written from the
# first minutes of a run on.
ROUTE_AHEAD = 16


class Session:
    """One `evaluate` call: the routers, the route log, where answers are made (``answers``:
    here by default, or `ray_answers.RayAnswers`) and the stage clock."""

    def __init__(self, routers: Mapping[str, Router], reasoner: Reasoner, routes: JsonlLog,
                 answers: Answers | None = None):
        self.routers = routers
        self.route_log = routes
        self.decisions = {(r["router"], r["id"]): r for r in routes.records}
        self.answers = answers if answers is not None else LocalAnswers(reasoner)
        self.route_s: Counter[str] = Counter()

    @property
    def stage_s(self) -> Counter[str]:
        """Wall seconds of this call in route / tools / reason."""
        return Counter({**self.route_s, **self.answers.stage_s})

    def run(self, items: Sequence[Item], todo: Callable[[Item], list[str]],
            keep: Callable[[dict], None], progress: bool = False) -> None:
        """Route then answer each chunk of ``items``, handing every record to ``keep`` in the
        items' order; ``todo`` names the routers (and the oracle) an item still needs."""
        with tqdm(total=len(items), desc="evaluate", unit="item", disable=not progress) as bar:
            in_order = InOrder(keep, bar.update)
            for first in range(0, len(items), ROUTE_AHEAD):
                chunk = items[first:first + ROUTE_AHEAD]
                bar.set_postfix_str("routing")
                for item in chunk:
                    self.route_ahead(item, todo(item))
                bar.set_postfix_str("answering")
                for position, item in enumerate(chunk, first):
                    self.submit(position, item, todo(item), in_order)
                    in_order.add(self.answers.collect(block=False))
                while self.answers.pending > ROUTE_AHEAD:  # route at most a chunk ahead of answers
                    in_order.add(self.answers.collect(block=True))
            while self.answers.pending:
                in_order.add(self.answers.collect(block=True))

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
            self.route_s["route"] += seconds
            line = {**route.model_dump(mode="json"), "router": name, "id": item.id, "seconds": seconds}
            self.route_log.append(line)
            self.decisions[(name, item.id)] = line
        line = self.decisions[(name, item.id)]
        return Route.model_validate(line), line["seconds"]

    def submit(self, position: int, item: Item, names: list[str], in_order: "InOrder") -> None:
        """Hand one item and its routes to ``answers``; audio that fails to load fails it here."""
        try:
            clip = load_audio(item.audio)
            chosen = {n: self.decide(n, item, clip) for n in self.needed(names)}
        except Exception as exc:
            in_order.add([(position, [failed_record(item, name, exc) for name in names])])
            return
        self.answers.submit(position, item, names, chosen, clip)


class InOrder:
    """Hands records on in the items' order, whatever order their answers finish in: a run's
    files then read the same however many workers answered."""

    def __init__(self, keep: Callable[[dict], None], advance: Callable[[], object]):
        self.keep, self.advance = keep, advance
        self.next = 0
        self.waiting: dict[int, list[dict]] = {}

    def add(self, finished: list[tuple[int, list[dict]]]) -> None:
        self.waiting.update(finished)
        while self.next in self.waiting:
            for record in self.waiting.pop(self.next):
                self.keep(record)
            self.next += 1
            self.advance()


class Answerer:
    """The answer pass of one item, given its routes: each distinct tool call runs once, each
    distinct route is answered once. It holds no router, so a Ray worker runs it as well."""

    def __init__(self, reasoner: Reasoner):
        self.reasoner = reasoner
        self.stage_s: Counter[str] = Counter()

    def answer(self, item: Item, names: list[str], chosen: Mapping[str, tuple[Route, float]],
               clip: Clip) -> list[dict]:
        """Records of ``names`` for one item; any failure becomes an error record for each."""
        try:
            candidates = {route_key(route): route for route, _ in chosen.values()}
            if ORACLE in names:
                candidates = {**{route_key(r): r for r in oracle_routes()}, **candidates}
            evidence = self._run_tools(clip, {c for k in candidates for c in k})
            answers = {k: self._answer(clip, item, [evidence[c] for c in k])
                       for k in sorted(candidates, key=prefix_order)}
        except Exception as exc:
            return [failed_record(item, name, exc) for name in names]
        records = [route_record(item, n, route, answers[route_key(route)], evidence, seconds)
                   for n, (route, seconds) in chosen.items() if n in names]
        if ORACLE in names:
            records.append(oracle_record(item, candidates, answers, evidence))
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


class Answers(Protocol):
    """Where an item's answers are made: submitted by position, collected when finished."""

    stage_s: Counter[str]  # wall seconds spent in tools / reason
    pending: int  # items submitted and not yet collected

    def submit(self, position: int, item: Item, names: list[str],
               chosen: Mapping[str, tuple[Route, float]], clip: Clip) -> None: ...

    def collect(self, block: bool) -> list[tuple[int, list[dict]]]:
        """Finished items' records: those done now, or with ``block`` at least one."""


class LocalAnswers:
    """Answers here, at once, with this process's reasoner."""

    def __init__(self, reasoner: Reasoner):
        self.answerer = Answerer(reasoner)
        self.stage_s = self.answerer.stage_s
        self.finished: list[tuple[int, list[dict]]] = []
        self.pending = 0  # each item is answered as it is submitted

    def submit(self, position, item, names, chosen, clip) -> None:
        self.finished.append((position, self.answerer.answer(item, names, chosen, clip)))

    def collect(self, block: bool) -> list[tuple[int, list[dict]]]:
        finished, self.finished = self.finished, []
        return finished

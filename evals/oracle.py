"""The oracle: a scorer over an item's answered routes that picks the best one, so it bounds
every router it is reported with.

Its candidates are no tools, each single tool, all tools and the routes the routers took. It
prefers a correct answer, then the reasoner's higher probability of the right option, then
fewer tools, then the earlier route in prompt order. A router added later joins the oracle's
record with no new prompt (`join_oracle`).
"""

from __future__ import annotations

from typing import Iterable, Mapping, Sequence

from audiorouter.agent.reasoners.answer import Answer
from audiorouter.agent.routers.routing import Route, ToolCall
from audiorouter.data.items import Item
from audiorouter.tools import Evidence, tool_names

from .records import CallKey, RouteKey, call_key, prefix_order, record_key, route_key, route_record

ORACLE = "oracle"


def oracle_routes() -> list[Route]:
    """The oracle's fixed candidates: no tools, each single tool, all tools."""
    return [Route(router=ORACLE), *(Route.of([t], router=ORACLE) for t in tool_names()),
            Route.of(tool_names(), router=ORACLE)]


def _route_name(key: RouteKey) -> str:
    """A route as the oracle's scores name it: 'none', 'all', else its tools joined by '+', a
    call with other than its tool's default arguments written tool{arguments}."""
    if key == route_key(oracle_routes()[-1]):
        return "all"
    return "+".join(name if args == call_key(ToolCall(name=name))[1] else f"{name}{args}"
                    for name, args in key) or "none"


def _merit(item: Item, record: dict) -> tuple[bool, float, int]:
    """What the oracle prefers, in turn: a correct answer, the reasoner's higher probability of
    the right option, fewer tools."""
    p_right = (record["probabilities"] or [0.0] * len(item.choices))[item.answer_index]
    return record["correct"], p_right, -len(record["calls"])


def _score(merit: tuple[bool, float, int]) -> dict:
    """A route's entry in the oracle's ``route_scores``."""
    return {"correct": merit[0], "p": round(merit[1], 5)}


def oracle_record(item: Item, candidates: Mapping[RouteKey, Route], answers: Mapping[RouteKey, Answer],
                  evidence: Mapping[CallKey, Evidence]) -> dict:
    """The best candidate's record; its cost is every candidate's (what the bound takes)."""
    records = {key: route_record(item, ORACLE, candidates[key], answer, evidence, 0.0) for key, answer in answers.items()}
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


def join_oracle(item: Item, oracle: dict, routers: Iterable[dict | None]) -> dict:
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
        name, score = _route_name(record_key(record)), _score(_merit(item, record))
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
    return mine > theirs or (mine == theirs and prefix_order(record_key(record)) < prefix_order(record_key(pick)))


def join_late_routers(items: Sequence[Item], records: Mapping[str, list[dict]], routers: list[str]) -> list[dict]:
    """The oracle records that change when the routers' answers join them (`join_oracle`), to
    append to its log: routers added after an item's oracle are bounded with no new prompt."""
    by_id = {name: {r["id"]: r for r in recs} for name, recs in records.items()}
    changed = []
    for item in items:
        if item.id in by_id[ORACLE]:
            joined = join_oracle(item, by_id[ORACLE][item.id], [by_id[n].get(item.id) for n in routers])
            if joined is not by_id[ORACLE][item.id]:
                changed.append(joined)
    return changed

"""Does a router route by what a question asks, or by its words? The same items asked in the
wordings it trained on and in held-out wordings (`audiorouter bench reword`), compared pair by
pair: accuracy on each with the paired difference's 95% interval, how often the route is the
same, and each tool's call rate per skill where the two differ most.

    audiorouter experiment wording-check results/dev-seen results/dev-heldout --router learned
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict


def paired_difference(a: list[bool], b: list[bool]) -> tuple[float, float, float]:
    """Mean of b - a over pairs, with a 95% Wald interval of the paired differences."""
    d = [float(y) - float(x) for x, y in zip(a, b)]
    n = len(d)
    mean = sum(d) / n
    var = sum((x - mean) ** 2 for x in d) / max(n - 1, 1)
    half = 1.96 * math.sqrt(var / n)
    return mean, mean - half, mean + half


def compare(seen: list[dict], held_out: list[dict]) -> dict:
    """The comparison of one router's records on the same items, by item id."""
    other = {r["id"]: r for r in held_out if not r.get("error")}
    pairs = [(r, other[r["id"]]) for r in seen if not r.get("error") and r["id"] in other]
    if not pairs:
        raise ValueError("the two runs share no answered item")
    diff, low, high = paired_difference([a["correct"] for a, _ in pairs],
                                        [b["correct"] for _, b in pairs])
    items: Counter[str] = Counter()
    calls: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])  # (seen, held out)
    for a, b in pairs:
        skill = (a.get("meta") or {}).get("skill") or a.get("sub-category") or "all"
        items[skill] += 1
        for tool in set(a["tools_used"]) | set(b["tools_used"]):
            calls[(skill, tool)][0] += tool in a["tools_used"]
            calls[(skill, tool)][1] += tool in b["tools_used"]
    shifts = sorted(((abs(s - h) / items[skill], skill, tool, s / items[skill], h / items[skill])
                     for (skill, tool), (s, h) in calls.items()), reverse=True)
    return {
        "items": len(pairs),
        "accuracy_seen": sum(a["correct"] for a, _ in pairs) / len(pairs),
        "accuracy_held_out": sum(b["correct"] for _, b in pairs) / len(pairs),
        "difference": diff, "difference_95ci": [low, high],
        "same_route": sum(set(a["tools_used"]) == set(b["tools_used"]) for a, b in pairs) / len(pairs),
        "calls_seen": sum(len(a["tools_used"]) for a, _ in pairs) / len(pairs),
        "calls_held_out": sum(len(b["tools_used"]) for _, b in pairs) / len(pairs),
        "largest_call_rate_shifts": [
            {"skill": skill, "tool": tool, "seen": round(s, 3), "held_out": round(h, 3)}
            for _, skill, tool, s, h in shifts[:8]],
    }

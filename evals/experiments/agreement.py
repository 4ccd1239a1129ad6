"""Do two evaluations of the same items choose the same options? (Another machine, another
thread count, another library version: the answers should not move.)

    audiorouter experiment agreement results/eval-a results/eval-b

Per router found in both folders: the items both answered, the share where the chosen option
is the same, and the largest difference in any option's probability.
"""

from __future__ import annotations

import json
from pathlib import Path

from audiorouter.evals.oracle import ORACLE


def agreement(a: Path, b: Path) -> dict[str, dict]:
    """Router -> {"items", "same_choice", "max_probability_change"} over the items both
    folders' ``predictions-<router>.json`` hold (the oracle is a pick among routes, left out)."""
    out = {}
    for path in sorted(a.glob("predictions-*.json")):
        router = path.stem.removeprefix("predictions-")
        other = b / path.name
        if router == ORACLE or not other.exists():
            continue
        left = {r["id"]: r for r in json.loads(path.read_text()) if not r.get("error")}
        right = {r["id"]: r for r in json.loads(other.read_text()) if not r.get("error")}
        both = [i for i in left if i in right]
        if not both:
            continue
        same = sum(left[i]["choice"] == right[i]["choice"] for i in both)
        change = max((abs(p - q) for i in both if left[i].get("probabilities") and right[i].get("probabilities")
                      for p, q in zip(left[i]["probabilities"], right[i]["probabilities"])), default=0.0)
        out[router] = {"items": len(both), "same_choice": same / len(both),
                       "max_probability_change": round(change, 6)}
    return out

"""Does a router route by what a question asks, or by its words? The same items asked in the
wordings it trained on and in held-out wordings (`audiorouter bench reword`), compared pair by
pair: accuracy on each with the paired difference's 95% interval, how often the route is the
same, and each tool's call rate per skill where the two differ most.

    python -m audiorouter.evals.experiments.wording_check results/dev-seen results/dev-heldout --router learned
"""

from __future__ import annotations

import argparse
import json
import math
from collections import Counter, defaultdict
from pathlib import Path


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


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seen", type=Path, help="evaluation folder, items in the trained wordings")
    parser.add_argument("held_out", type=Path, help="evaluation folder, the same items reworded")
    parser.add_argument("--router", default="learned", help="router to compare (default learned)")
    parser.add_argument("--out", type=Path, help="also write the comparison here as JSON")
    args = parser.parse_args(argv)
    name = f"predictions-{args.router}.json"
    result = compare(json.loads((args.seen / name).read_text()),
                     json.loads((args.held_out / name).read_text()))
    low, high = result["difference_95ci"]
    print(f"{args.router} on {result['items']} items: {100 * result['accuracy_seen']:.1f}% in trained "
          f"wordings, {100 * result['accuracy_held_out']:.1f}% in held-out ones (difference "
          f"{100 * result['difference']:+.1f} points [{100 * low:+.1f}, {100 * high:+.1f}]); "
          f"same route on {100 * result['same_route']:.0f}%; calls {result['calls_seen']:.2f} "
          f"and {result['calls_held_out']:.2f}")
    for s in result["largest_call_rate_shifts"]:
        print(f"  {s['skill']:<18} {s['tool']:<17} {s['seen']:.2f} -> {s['held_out']:.2f}")
    if args.out:
        args.out.write_text(json.dumps(result, indent=1))
    return result


if __name__ == "__main__":
    main()

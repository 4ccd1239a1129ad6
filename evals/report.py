"""The evaluation report: markdown tables and PNG plots from an `Evaluation`.

Accuracy is shown with its 95% Wilson interval everywhere: on a few hundred items two routers
a few points apart are often not different, and the table should say so.
"""

from __future__ import annotations

import math
from pathlib import Path
from statistics import fmean, median
from typing import Mapping, Sequence

from .oracle import ORACLE
from .render import write_block
from .runner import Evaluation
from .scoring import LOW_CONFIDENCE, Accuracy, accuracy, breakdown, confidence, indistinct, oracle_gain_recovered

SKILL_KEYS = ("sub-category", "category")  # MMAU leaves many sub-categories empty
STAGES = ("route", "tools", "reason")


PAGE_MARKS = ("<!-- evaluation:start -->", "<!-- evaluation:end -->")


def write_report(evaluation: Evaluation, out_dir: str | Path, *, title: str = "AudioRouter evaluation",
                 setup: Mapping[str, str] | None = None, docs_page: str | Path | None = None) -> Path:
    """Write ``report.md``, ``accuracy_by_skill.png`` and ``accuracy_vs_tools.png``; with
    ``docs_page`` also the same report between markers in that page, plots beside it."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    records = _evaluated(evaluation)
    targets = [(out_dir, "")] + ([(Path(docs_page).parent, Path(docs_page).stem + "_")] if docs_page else [])
    for folder, prefix in targets:
        folder.mkdir(parents=True, exist_ok=True)
        plot_accuracy_by_skill(records, folder / f"{prefix}accuracy_by_skill.png")
        plot_accuracy_vs_tools(records, folder / f"{prefix}accuracy_vs_tools.png")
    page = out_dir / "report.md"
    page.write_text(markdown(evaluation, title=title, setup=setup or {}))
    if docs_page:
        body = markdown(evaluation, title=title, setup=setup or {}, plots_prefix=Path(docs_page).stem + "_",
                        level=3)
        write_block(Path(docs_page), "\n".join([PAGE_MARKS[0], "", body, PAGE_MARKS[1]]), PAGE_MARKS)
    return page


def _evaluated(evaluation: Evaluation) -> dict[str, list[dict]]:
    return {name: recs for name, recs in evaluation.records.items() if recs}


def markdown(evaluation: Evaluation, *, title: str, setup: Mapping[str, str], plots_prefix: str = "",
             level: int = 1) -> str:
    """The report; ``level`` is the title's heading level (sections one below it)."""
    records = _evaluated(evaluation)
    h = "#" * (level + 1)
    lines = [f"{'#' * level} {title}", ""]
    lines += [f"- {key}: {value}" for key, value in setup.items()]
    items = max(records.values(), key=len, default=[])
    ambiguous = sum(indistinct(r["choices"]) for r in items)
    lines += [f"- items: {len(items)} ({evaluation.answered} worked on by this run, the rest resumed)",
              f"- wall time of this run: {evaluation.wall_s:.1f} s (route {evaluation.stage_s.get('route', 0):.1f} s, "
              f"tools {evaluation.stage_s.get('tools', 0):.1f} s, reason {evaluation.stage_s.get('reason', 0):.1f} s)",
              *([f"- items with two options of the same words: {ambiguous} (MMAU's rule cannot tell those "
                 "options apart, so choosing the wrong one of them counts as right)"] if ambiguous else []),
              "", f"{h} Overall", ""]
    gains = _oracle_gains(records)
    gain_head, gain_rule = (" oracle gain recovered |", "---|") if gains else ("", "")
    lines += ["| router | accuracy [95% CI] | n | p(right) | top p < 0.4 | ECE | tool calls / question | "
              "route s | tools s | reason s | median reason s | errors |" + gain_head,
              "|---" * 12 + "|" + gain_rule]
    for name, recs in records.items():
        stages = " | ".join(f"{fmean(r['seconds'][s] for r in recs):.2f}" for s in STAGES)
        errors = sum(1 for r in recs if r.get("error"))
        gain = f" {_percent(gains[name])} |" if name in gains else (" |" if gains else "")
        conf = confidence(recs)
        sure = (f"{conf.mean_right:.3f} | {_percent(conf.low_share)} | {conf.calibration_error:.3f}"
                if conf else "– | – | –")
        lines.append(f"| {name} | {_cell(accuracy(recs))} | {len(recs)} | {sure} | {tool_calls(recs):.2f} | "
                     f"{stages} | {median(r['seconds']['reason'] for r in recs):.2f} | {errors} |{gain}")
    lines += ["", "p(right): the mean probability of the right option; top p < 0.4: the share of "
              f"answers whose top probability is under {LOW_CONFIDENCE}; ECE: the expected "
              "calibration error (10 bins of top probability). Seconds are per question as spent "
              "in the runs that answered them (0 for cached work); the oracle's are the cost of "
              "answering all its candidate routes."
              + (" Oracle gain recovered: (router - none) / (oracle - none), the share of the "
                 "oracle's gain over no tools that a router achieves." if gains else ""), ""]
    lines += _table(f"{h} Per task", {name: breakdown(recs, "task") for name, recs in records.items()})
    lines += _table(f"{h} Per sub-category", {name: breakdown(recs, *SKILL_KEYS) for name, recs in records.items()})
    lines += [f"{h} Plots", "", f"![accuracy per skill]({plots_prefix}accuracy_by_skill.png)", "",
              f"![accuracy vs tool calls]({plots_prefix}accuracy_vs_tools.png)", ""]
    return "\n".join(lines)


def _oracle_gains(records: Mapping[str, Sequence[Mapping]]) -> dict[str, float]:
    """Each router's share of the oracle's gain over no tools, when both were evaluated on the
    same items (otherwise the share compares different questions and is left out)."""
    if "none" not in records or ORACLE not in records:
        return {}
    ids = {name: {r["id"] for r in recs} for name, recs in records.items()}
    none, oracle = accuracy(records["none"]).value, accuracy(records[ORACLE]).value
    return {name: oracle_gain_recovered(accuracy(recs).value, none, oracle) for name, recs in records.items()
            if name not in ("none", ORACLE) and ids[name] == ids["none"] == ids[ORACLE]}


def tool_calls(records: Sequence[Mapping]) -> float:
    return fmean(len(r["tools_used"]) for r in records) if records else 0.0


def _percent(share: float) -> str:
    return "–" if math.isnan(share) else f"{100 * share:.0f}%"


def _cell(acc: Accuracy) -> str:
    low, high = acc.interval
    return f"{100 * acc.value:.1f} [{100 * low:.0f}, {100 * high:.0f}]"


def _table(heading: str, groups: Mapping[str, Mapping[str, Accuracy]]) -> list[str]:
    """Rows are groups, columns routers: the routers compared side by side per group."""
    names = list(groups)
    keys = sorted({k for g in groups.values() for k in g})
    lines = [heading, "", "| | n | " + " | ".join(names) + " |", "|---" * (len(names) + 2) + "|"]
    for key in keys:
        n = max(g[key].total for g in groups.values() if key in g)
        cells = " | ".join(_cell(groups[name][key]) if key in groups[name] else "" for name in names)
        lines.append(f"| {key} | {n} | {cells} |")
    return lines + [""]


def pyplot():
    """matplotlib without a display, imported only when plotting."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_accuracy_by_skill(records: Mapping[str, Sequence[Mapping]], path: Path) -> None:
    """Grouped bars: one group per skill, one bar per router, 95% intervals as error bars."""
    plt = pyplot()
    per_router = {name: breakdown(recs, *SKILL_KEYS) for name, recs in records.items()}
    skills = sorted({s for groups in per_router.values() for s in groups})
    width = 0.8 / max(len(per_router), 1)
    fig, ax = plt.subplots(figsize=(max(6.0, 0.9 * len(skills) * max(len(per_router), 2) / 2), 4.5))
    for i, (name, groups) in enumerate(per_router.items()):
        xs = [j + (i - (len(per_router) - 1) / 2) * width for j, s in enumerate(skills) if s in groups]
        accs = [groups[s] for s in skills if s in groups]
        values = [100 * a.value for a in accs]
        errors = [[100 * (a.value - a.interval[0]) for a in accs], [100 * (a.interval[1] - a.value) for a in accs]]
        ax.bar(xs, values, width, yerr=errors, capsize=2, label=name)
    ax.set_xticks(range(len(skills)), skills, rotation=35, ha="right")
    ax.set_ylabel("accuracy (%)")
    ax.set_ylim(0, 105)
    ax.set_title("Accuracy per skill (95% Wilson intervals)", pad=28)
    ax.legend(fontsize="small", ncols=min(len(per_router), 6), loc="lower center",
              bbox_to_anchor=(0.5, 1.0), frameon=False)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def plot_accuracy_vs_tools(records: Mapping[str, Sequence[Mapping]], path: Path) -> None:
    """Each router as a point: what it costs in tool calls against what it gets right."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 4.5))
    for name, recs in records.items():
        acc = accuracy(recs)
        low, high = acc.interval
        x = tool_calls(recs)
        ax.errorbar([x], [100 * acc.value], yerr=[[100 * (acc.value - low)], [100 * (high - acc.value)]],
                    fmt="o", capsize=3)
        ax.annotate(name, (x, 100 * acc.value), textcoords="offset points", xytext=(6, 4))
    ax.margins(x=0.15)
    ax.set_xlabel("tool calls per question")
    ax.set_ylabel("accuracy (%)")
    ax.set_ylim(0, 105)
    ax.set_title("Accuracy vs tool calls (95% Wilson intervals)")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)

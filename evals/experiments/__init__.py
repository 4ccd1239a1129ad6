"""Experiments over evaluation runs: data efficiency of the learned router, wording robustness
and agreement between two runs."""

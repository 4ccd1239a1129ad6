"""``audiorouter benchmark <name>``: every benchmark's command, mounted by `evals/cli.py`."""

from __future__ import annotations

import typer

from . import env, free_form, graph, omni, ray, ray_eval, reasoner
from .tools import run as tools

benchmark_app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
for name, module in (("tools", tools), ("graph", graph), ("env", env), ("omni", omni),
                     ("reasoner", reasoner), ("free-form", free_form), ("ray", ray),
                     ("ray-eval", ray_eval)):
    benchmark_app.command(name)(module.command)

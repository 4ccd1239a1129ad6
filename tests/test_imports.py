"""Importing the agent does no work: no torch, transformers or llama.cpp, no checkpoint read,
no graph built. The import runs in a fresh interpreter, so nothing a test loaded counts."""

import json
import subprocess
import sys

import pytest

HEAVY = ("torch", "transformers", "sentence_transformers", "llama_cpp", "cyllama")
PROBE = """
import json, sys
opened = []
sys.addaudithook(lambda event, args: opened.append(str(args[0]))
                 if event == "open" and str(args[0]).endswith(".pt") else None)
import {module}
print(json.dumps({{"opened": opened,
                  "graph_built": "graph" in vars(sys.modules["audiorouter.agent"]),
                  "learned_router_loaded": "audiorouter.agent.routers.learned" in sys.modules}}))
"""


def import_report(module: str) -> tuple[dict, set[str]]:
    """What importing ``module`` did: files opened and objects built (stdout), and every module
    it imported (``-X importtime`` writes one line per module on stderr)."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", PROBE.format(module=module)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    imported = {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines()
                if line.startswith("import time:") and line.count("|") == 2}
    return json.loads(done.stdout.strip().splitlines()[-1]), imported


@pytest.mark.parametrize("module", ["audiorouter.agent", "audiorouter.agent.routers",
                                    "audiorouter.agent.reasoners"])
def test_importing_the_agent_loads_no_model(module):
    report, imported = import_report(module)
    assert "audiorouter.agent.routers" in imported  # the probe saw the imports at all
    heavy = sorted(name for name in imported if name.split(".")[0] in HEAVY)
    assert heavy == [], f"importing {module} imported {heavy[:5]}"
    assert report == {"opened": [], "graph_built": False, "learned_router_loaded": False}

"""The real LangGraph dev server on localhost serves langgraph.json; the graph answers over HTTP."""

import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from audiorouter.evals import synth

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(url: str, body: dict, timeout: float = 240) -> dict:
    request = urllib.request.Request(url, data=json.dumps(body).encode(),
                                     headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def start_server(workdir: Path, env: dict) -> tuple[subprocess.Popen | None, str, str]:
    """Start `langgraph dev` on a free port; return (process, url, "") once it answers, or
    (None, "", why) when it exited or never answered: exit code and the tail of its output."""
    port = free_port()
    log_path = workdir / f"server-{port}.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "langgraph"), "dev", "--port", str(port), "--host",
             "127.0.0.1", "--no-browser", "--no-reload", "--config", str(ROOT / "langgraph.json")],
            cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(url + "/ok", timeout=2)
            return process, url, ""
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.5)
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=30)
    return None, "", f"port {port}, exit code {process.returncode}: {log_path.read_text()[-2000:]!r}"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The dev server, started afresh (new port) up to three times: a start-up lost to a port
    race or a signal is not the graph's failure, and every attempt's exit code is reported."""
    env = {**os.environ, "AUDIOROUTER_REASONER_MODEL": "smollm2-135m-instruct",
           "AUDIOROUTER_ROUTER_KIND": "fixed:count_events,audio_info", "HF_HUB_OFFLINE": "1",
           "PYTHONUNBUFFERED": "1"}
    failures = []
    for _ in range(3):
        process, url, why = start_server(tmp_path_factory.mktemp("server"), env)
        if process is not None:
            break
        failures.append(why)
    else:
        pytest.fail("langgraph dev did not start:\n" + "\n".join(failures))
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def knocks_wav(tmp_path_factory, knocks):
    return synth.write_wav(tmp_path_factory.mktemp("audio") / "knocks.wav", knocks[0])


QUESTION = {"question": "How many knocks?", "choices": ["3", "4", "5", "6"]}


def test_invoke_over_http_with_a_path(server, knocks_wav):
    out = post(server + "/runs/wait", {"assistant_id": "audiorouter",
                                       "input": {"audio": str(knocks_wav), **QUESTION}})
    assert out["tools_used"] == ["count_events", "audio_info"]
    assert next(e for e in out["evidence"] if e["tool"] == "count_events")["count"] == 4
    assert out["choice"] in range(4) and out["clip"].startswith("clip:")


def test_invoke_over_http_with_base64_audio(server, knocks_wav):
    data = "data:audio/wav;base64," + base64.b64encode(knocks_wav.read_bytes()).decode()
    out = post(server + "/runs/wait", {"assistant_id": "audiorouter", "input": {"audio": data, **QUESTION}})
    assert next(e for e in out["evidence"] if e["tool"] == "count_events")["count"] == 4


def test_bad_audio_over_http_is_a_clear_error(server):
    request = {"assistant_id": "audiorouter", "input": {"audio": "/no/such.wav", "question": "q"}}
    try:
        out = post(server + "/runs/wait", request)
    except urllib.error.HTTPError as exc:
        out = json.loads(exc.read() or b"{}")
    assert "no audio file" in json.dumps(out)

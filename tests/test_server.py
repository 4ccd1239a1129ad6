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


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    env = {**os.environ, "AUDIOROUTER_REASONER_MODEL": "smollm2-135m-instruct",
           "AUDIOROUTER_ROUTER_KIND": "fixed:count_events,audio_info", "HF_HUB_OFFLINE": "1"}
    log = open(tmp_path_factory.mktemp("server") / "server.log", "w+")
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "langgraph"), "dev", "--port", str(port), "--host",
         "127.0.0.1", "--no-browser", "--no-reload", "--config", str(ROOT / "langgraph.json")],
        cwd=tmp_path_factory.mktemp("cwd"), env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url + "/ok", timeout=2)
                break
            except OSError:
                if process.poll() is not None:
                    break
                time.sleep(0.5)
        if process.poll() is not None:
            log.seek(0)
            pytest.fail(f"langgraph dev exited: {log.read()[-3000:]}")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


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

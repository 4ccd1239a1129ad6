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

import numpy as np
import pytest

from audiorouter.data import synth

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
def audio_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("audio")


@pytest.fixture(scope="module")
def server(tmp_path_factory, audio_dir):
    """The dev server, started afresh (new port) up to three times: a start-up lost to a port
    race or a signal is not the graph's failure, and every attempt's exit code is reported."""
    env = {**os.environ, "AUDIOROUTER_REASONER_MODEL": "smollm2-135m-instruct",
           "AUDIOROUTER_ROUTER_KIND": "fixed:count_events,audio_info", "HF_HUB_OFFLINE": "1",
           "PYTHONUNBUFFERED": "1", "AUDIOROUTER_SERVER_AUDIO_DIR": str(audio_dir)}
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
def knocks_wav(audio_dir, knocks):
    return synth.write_wav(audio_dir / "knocks.wav", knocks[0])


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


def refused(server: str, audio, **question) -> tuple[int, dict]:
    request = {"assistant_id": "audiorouter", "input": {"audio": audio, **question}}
    with pytest.raises(urllib.error.HTTPError) as caught:
        post(server + "/runs/wait", request)
    return caught.value.code, json.loads(caught.value.read())


def test_bad_audio_over_http_is_a_clear_error(server, audio_dir):
    status, body = refused(server, str(audio_dir / "no-such.wav"), question="q")
    assert status == 403 and "no audio file" in body["message"]
    (audio_dir / "broken.wav").write_bytes(b"RIFF\x00\x00\x00\x00WAVEgarbage" * 4)
    request = {"assistant_id": "audiorouter", "input": {"audio": str(audio_dir / "broken.wav"),
                                                        "question": "q"}}
    try:  # a file the front door lets through fails in the run, with its typed message
        out = post(server + "/runs/wait", request)
    except urllib.error.HTTPError as exc:
        out = json.loads(exc.read() or b"{}")
    assert "AudioDecodeError" in json.dumps(out) or "UnsupportedAudioFormatError" in json.dumps(out)


def test_a_bad_question_over_http_is_a_422_that_says_what_to_pass(server, knocks_wav):
    status, body = refused(server, str(knocks_wav), question="How many?", choices="3,4")
    assert status == 422 and body["error"] == "QuestionError"
    assert "not the string '3,4'" in body["message"]


def test_the_server_reads_no_file_outside_its_audio_folder(server, knocks_wav, tmp_path):
    outside = synth.write_wav(tmp_path / "secret.wav", np.zeros(1600, np.float32))
    for audio in [str(outside), str(knocks_wav.parent / ".." / outside.name), "/etc/passwd"]:
        status, body = refused(server, audio, question="What is said?")
        assert status == 403 and "outside" in body["message"], audio
    status, body = refused(server, "clip:../../secret", question="What is said?")
    assert status == 403 and "not a clip reference" in body["message"]


def test_an_oversized_request_is_refused_before_it_is_read(server):
    request = urllib.request.Request(server + "/runs/wait", data=b"{}", method="POST", headers={
        "content-type": "application/json", "content-length": str(200 * 2**20)})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=60)
    assert caught.value.code == 413 and "at most 160 MB" in caught.value.read().decode()


def test_path_rules_of_the_front_door(tmp_path):
    from audiorouter.agent.server import AudioAccessError, check_server_audio

    inside = tmp_path / "in"
    inside.mkdir()
    (inside / "a.wav").write_bytes(b"RIFF")
    (inside / "link.wav").symlink_to("/etc/passwd")
    check_server_audio(str(inside / "a.wav"), inside)
    check_server_audio("data:audio/wav;base64,UklGRg==", None)  # inline audio: always
    check_server_audio("clip:0123456789abcdef0123", None)
    with pytest.raises(AudioAccessError, match="does not read files on its host"):
        check_server_audio(str(inside / "a.wav"), None)
    with pytest.raises(AudioAccessError, match="not a clip reference"):
        check_server_audio("clip:../../x", inside)
    for bad in [str(inside / "link.wav"), str(inside / ".." / "x.wav"), "/etc/passwd"]:
        with pytest.raises(AudioAccessError, match="outside"):
            check_server_audio(bad, inside)
    with pytest.raises(AudioAccessError, match="no audio file"):
        check_server_audio(str(inside / "b.wav"), inside)


def test_the_server_serves_the_input_and_output_schemas(server):
    assistant = post(server + "/assistants/search", {"graph_id": "audiorouter"})[0]
    with urllib.request.urlopen(f"{server}/assistants/{assistant['assistant_id']}/schemas",
                                timeout=60) as response:
        schemas = json.loads(response.read())
    assert schemas["input_schema"]["required"] == ["audio", "question"]
    assert {"answer", "choice", "probabilities", "tools_used", "evidence"} <= \
        set(schemas["output_schema"]["properties"])

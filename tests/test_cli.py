import json

import soundfile as sf
from typer.testing import CliRunner

from audiorouter.evals.cli import app
from conftest import sine

runner = CliRunner()


def test_tools_lists_every_tool_with_its_schema():
    result = runner.invoke(app, ["tools", "--json"])
    assert result.exit_code == 0
    entries = {e["name"]: e for e in json.loads(result.stdout)}
    assert "audio_info" in entries and "analyze_pitch" in entries
    assert "audio" not in entries["analyze_pitch"]["args_schema"].get("properties", {})


def test_tool_runs_one_tool_on_a_file(tmp_path):
    path = tmp_path / "a.wav"
    sf.write(path, sine(440, 1.5), 16_000)
    result = runner.invoke(app, ["tool", "audio_info", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["duration_s"] == 1.5
    text = runner.invoke(app, ["tool", "audio_info", str(path)])
    assert text.stdout.startswith("audio_info: 1.5 s, mono")


def test_errors_are_one_clear_line_and_exit_code_2(tmp_path):
    missing = runner.invoke(app, ["tool", "audio_info", str(tmp_path / "none.wav")])
    assert missing.exit_code == 2 and "no audio file" in missing.output
    unknown = runner.invoke(app, ["tool", "count_sheep", str(tmp_path / "none.wav")])
    assert unknown.exit_code == 2 and "audio_info" in unknown.output
    bad_json = runner.invoke(app, ["tool", "audio_info", "x.wav", "--args", "{oops"])
    assert bad_json.exit_code == 2 and "JSON" in bad_json.output
    assert "Traceback" not in missing.output + unknown.output + bad_json.output


def test_data_build_writes_mmau_json_per_split(tmp_path):
    result = runner.invoke(app, ["data", "build", "--out", str(tmp_path), "--per-skill", "1",
                                 "--splits", "test", "--skills", "event_count,note_name"])
    assert result.exit_code == 0, result.output
    items = json.loads((tmp_path / "test.json").read_text())
    assert len(items) == 2 and {i["task"] for i in items} == {"sound", "music"}
    for item in items:
        assert item["answer"] in item["choices"] and (tmp_path / item["audio_id"]).exists()


def test_ask_refuses_a_bad_question_with_exit_code_2(tmp_path):
    path = tmp_path / "tone.wav"
    sf.write(path, sine(440, 1.0), 16_000)
    one_option = runner.invoke(app, ["ask", str(path), "How many?", "-c", "3", "--router", "none"])
    assert one_option.exit_code == 2 and "give 2 to 10 options" in one_option.output
    url = runner.invoke(app, ["ask", "https://example.com/a.wav", "How many?", "--router", "none"])
    assert url.exit_code == 2 and "URLs are not fetched" in url.output
    assert "Traceback" not in one_option.output + url.output

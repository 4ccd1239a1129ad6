"""The resumable log: torn lines cut, setups compared, files named by content, latest records."""

import json

import pytest

from audiorouter.data.items import Item
from audiorouter.evals.log import JsonlLog, check_setup, file_identity, latest
from audiorouter.tools import AudioRouterError


def test_a_torn_last_line_is_cut_on_reopen_and_appending_goes_on(tmp_path):
    path = tmp_path / "log.jsonl"
    JsonlLog(path).append({"id": "q0"})
    path.write_text(path.read_text() + '{"id": "q1", "tor')  # killed mid-write
    log = JsonlLog(path)
    assert log.records == [{"id": "q0"}]
    log.append({"id": "q1"})
    assert [json.loads(line) for line in path.read_text().splitlines()] == [{"id": "q0"}, {"id": "q1"}]


def test_a_setup_grows_but_never_changes(tmp_path):
    path = tmp_path / "setup.json"
    check_setup(path, {"reasoner": "fake"})
    check_setup(path, {"reasoner": "fake", "learned checkpoint": "router.pt (sha256 0)"})
    assert json.loads(path.read_text()) == {"reasoner": "fake", "learned checkpoint": "router.pt (sha256 0)"}
    with pytest.raises(AudioRouterError, match="another setup"):
        check_setup(path, {"reasoner": "other"})


def test_the_latest_record_of_each_item_in_the_items_order(tmp_path):
    items = [Item(id=i, audio_id="a.wav", audio_file=tmp_path / "a.wav", question="?", choices=["x", "y"],
                  answer="x", task="sound") for i in ("q1", "q0", "q2")]
    records = [{"id": "q0", "try": 1}, {"id": "q1", "try": 1}, {"id": "q0", "try": 2}]
    assert latest(records, items) == [{"id": "q1", "try": 1}, {"id": "q0", "try": 2}]


def test_a_file_is_identified_by_its_name_and_content_not_its_folder(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "router.pt").write_bytes(b"weights")
    (tmp_path / "b" / "router.pt").write_bytes(b"weights")
    first = file_identity(tmp_path / "a" / "router.pt")
    assert first == file_identity(tmp_path / "b" / "router.pt") and first.startswith("router.pt (sha256 ")
    (tmp_path / "b" / "router.pt").write_bytes(b"retrained")  # rewritten in place: not the same router
    assert file_identity(tmp_path / "b" / "router.pt") != first
    with pytest.raises(AudioRouterError, match="cannot read"):
        file_identity(tmp_path / "c" / "router.pt")

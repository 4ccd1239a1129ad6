import json

import pytest

from audiorouter.data.items import DatasetError, Item, load_items, skills_in_turn, write_items

MMAU_ITEM = {
    "id": "7cce9ff1", "audio_id": "./test-mini-audios/a.wav", "question": "What is the genre?",
    "choices": ["Jazz", "Rock", "Pop", "Folk"], "answer": "Rock", "dataset": "MusicCaps",
    "task": "music", "split": "test-mini", "category": "Genre Identification",
    "sub-category": None, "difficulty": "easy",
}
MMAR_ITEM = {
    "id": 12, "audio_path": "./audio/b.wav", "question": "How many speakers?", "choices": ["1", "2", "3"],
    "answer": "2", "modality": "speech", "category": "Counting", "sub-category": "Speaker count",
    "language": "en",
}


def _touch(root, *names):
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"")


def test_mmau_test_mini_list_resolves_audio_relative_to_the_file(tmp_path):
    _touch(tmp_path, "test-mini-audios/a.wav")
    path = tmp_path / "mmau-test-mini.json"
    path.write_text(json.dumps([MMAU_ITEM], indent=4))
    [item] = load_items(path)
    assert item.audio_file == (tmp_path / "test-mini-audios" / "a.wav").resolve() == item.audio
    assert (item.task, item.category, item.sub_category, item.difficulty) == (
        "music", "Genre Identification", None, "easy")
    assert item.answer_index == 1
    record = item.record()  # written back as the dataset spells it, unknown fields kept
    assert record["sub-category"] is None and record["dataset"] == "MusicCaps" and "audio_file" not in record


def test_mmar_meta_jsonl_maps_audio_path_and_modality(tmp_path):
    _touch(tmp_path, "audio/b.wav")
    path = tmp_path / "MMAR-meta.jsonl"
    path.write_text(json.dumps(MMAR_ITEM) + "\n\n")
    [item] = load_items(path)
    assert (item.id, item.audio_id, item.task, item.sub_category) == ("12", "./audio/b.wav", "speech", "Speaker count")
    assert item.difficulty is None and item.record()["language"] == "en"
    assert item.audio_file == (tmp_path / "audio" / "b.wav").resolve()


def test_generic_jsonl_with_split_and_meta(tmp_path):
    _touch(tmp_path, "x.wav")
    row = {**MMAU_ITEM, "audio_id": "x.wav", "split": "test", "meta": {"truth": 3}}
    path = tmp_path / "items.jsonl"
    path.write_text(json.dumps(row) + "\n" + json.dumps({**row, "id": "second"}) + "\n")
    items = load_items(path)
    assert [i.id for i in items] == ["7cce9ff1", "second"] and items[0].meta == {"truth": 3}


def test_answer_matching_an_option_up_to_case_and_punctuation():
    item = Item(**{**MMAU_ITEM, "answer": "rock."})
    assert item.answer_index == 1


def test_missing_dataset_file_is_a_typed_error(tmp_path):
    with pytest.raises(DatasetError, match="no dataset file"):
        load_items(tmp_path / "nope.json")


@pytest.mark.parametrize("change, field", [
    ({"question": None}, "question"),
    ({"choices": ["only"]}, "choices"),
    ({"answer": "Blues"}, "answer"),
])
def test_malformed_item_names_the_item_and_the_field(tmp_path, change, field):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([MMAU_ITEM, {**MMAU_ITEM, "id": "broken", **change}]))
    with pytest.raises(DatasetError) as error:
        load_items(path, check_audio=False)
    assert "item 2" in str(error.value) and "'broken'" in str(error.value) and f"'{field}'" in str(error.value)


def test_missing_field_is_named(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({k: v for k, v in MMAU_ITEM.items() if k != "task"}))
    with pytest.raises(DatasetError, match="field 'task'"):
        load_items(path, check_audio=False)


def test_bad_json_line_and_non_objects(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(MMAU_ITEM) + "\n{oops\n")
    with pytest.raises(DatasetError, match="line 2"):
        load_items(path, check_audio=False)
    path.write_text("[1, 2]")
    with pytest.raises(DatasetError, match=r"item 1 is not an object .*got int"):
        load_items(path, check_audio=False)


def test_missing_audio_and_duplicate_ids_fail_early(tmp_path):
    path = tmp_path / "items.json"
    path.write_text(json.dumps([MMAU_ITEM]))
    with pytest.raises(DatasetError, match="1 of 1 audio files are missing"):
        load_items(path)
    assert load_items(path, check_audio=False)[0].id == "7cce9ff1"
    path.write_text(json.dumps([MMAU_ITEM, MMAU_ITEM]))
    with pytest.raises(DatasetError, match="appears twice"):
        load_items(path, check_audio=False)


def _items(skills):
    return [Item(id=f"{skill}-{n}", audio_id=f"audio/{skill}-{n}.wav", question="?", choices=["a", "b"],
                 answer="a", task="sound", **({"sub-category": skill} if skill else {}))
            for skill in dict.fromkeys(skills) for n in range(skills.count(skill))]


def test_skills_in_turn_interleaves_and_cuts_per_skill():
    items = _items(["x", "x", "x", "y", "z", "z"])
    assert [i.id for i in skills_in_turn(items)] == ["x-0", "y-0", "z-0", "x-1", "z-1", "x-2"]
    assert [i.id for i in skills_in_turn(items, 1)] == ["x-0", "y-0", "z-0"]
    assert [i.id for i in skills_in_turn(_items([None, None]))] == ["None-0", "None-1"]  # task groups


def test_written_items_load_back_with_their_audio(tmp_path):
    _touch(tmp_path, "bench/audio/x-0.wav", "bench/audio/y-0.wav")
    source = tmp_path / "bench" / "test.json"
    source.write_text(json.dumps([i.record() for i in _items(["x", "y"])]))
    items = load_items(source)
    again = load_items(write_items(items[::-1], tmp_path / "elsewhere" / "picked.json"))
    assert [(i.id, i.audio) for i in again] == [(i.id, i.audio) for i in items[::-1]]
    assert again[0].record()["sub-category"] == "y"

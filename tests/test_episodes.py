import json

import pytest
import soundfile as sf

from audiorouter.data.items import DatasetError
from audiorouter.envs import Episode, balanced_subset, default_dataset, load_episodes
from conftest import sine


def _record(i: int, group: str = "event count", answer: str | None = None) -> dict:
    return {"id": f"q{i}", "audio_id": f"{i}.wav", "question": "How many knocks?",
            "choices": ["1", "2", "3"], "answer": answer or "2", "task": "sound", "sub-category": group}


def test_a_jsonl_file_resolves_audio_beside_it_and_finds_the_answer(tmp_path):
    sf.write(tmp_path / "0.wav", sine(300, 0.5), 16_000)
    path = tmp_path / "items.jsonl"
    path.write_text(json.dumps(_record(0, answer=" 2")) + "\n\n")
    [episode] = load_episodes(path)
    assert episode.audio == str((tmp_path / "0.wav").resolve())
    assert episode.answer_index == 1 and episode.choices == ("1", "2", "3")
    assert episode.group == "event count"


def test_a_json_list_and_item_dicts_give_the_same_episodes(tmp_path):
    for i in range(2):
        sf.write(tmp_path / f"{i}.wav", sine(300, 0.5), 16_000)
    (tmp_path / "items.json").write_text(json.dumps([_record(0), _record(1)]))
    from_file = load_episodes(tmp_path / "items.json")
    from_dicts = load_episodes([{**_record(i), "audio_id": str(tmp_path / f"{i}.wav")} for i in range(2)])
    assert [(e.id, e.answer_index) for e in from_file] == [(e.id, e.answer_index) for e in from_dicts]


@pytest.mark.parametrize("bad, message", [
    ({"answer": "7"}, "must be exactly one"),
    ({"choices": ["2", "2", "3"]}, "must be exactly one"),
    ({"choices": ["2"]}, "2 or more"),
])
def test_an_item_without_one_right_option_is_refused(bad, message):
    with pytest.raises(DatasetError, match=message):
        Episode.from_record({**_record(0), **bad})


def test_paraphrases_are_other_wordings_after_the_question():
    episode = Episode.from_record({**_record(0), "paraphrases": ["Count the knocks.", "How many times?"]})
    assert episode.wordings == ("How many knocks?", "Count the knocks.", "How many times?")
    assert Episode.from_record(_record(0)).wordings == ("How many knocks?",)


@pytest.mark.parametrize("bad", ["Count the knocks.", [""], [3]])
def test_paraphrases_that_are_not_a_list_of_wordings_are_refused(bad):
    with pytest.raises(DatasetError, match="paraphrases must be a list"):
        Episode.from_record({**_record(0), "paraphrases": bad})


def test_an_item_missing_a_field_names_it():
    record = _record(0)
    del record["question"]
    with pytest.raises(DatasetError, match="question"):
        Episode.from_record(record)


def test_missing_files_say_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("AUDIOROUTER_TRAIN_DATA", str(tmp_path / "nowhere" / "train.json"))
    assert default_dataset() == tmp_path / "nowhere" / "train.json"
    with pytest.raises(DatasetError, match="audiorouter data build"):
        load_episodes()
    (tmp_path / "items.json").write_text(json.dumps([_record(0)]))
    with pytest.raises(DatasetError, match="audio files are missing"):
        load_episodes(tmp_path / "items.json")
    (tmp_path / "bad.json").write_text("[{")
    with pytest.raises(DatasetError, match="not valid JSON"):
        load_episodes(tmp_path / "bad.json")


def test_a_balanced_subset_takes_the_groups_in_turn():
    episodes = [Episode.from_record({**_record(i, group), "id": f"{group}{i}"})
                for group in ("a", "b", "c") for i in range(3)]
    picked = balanced_subset(episodes, 5)
    assert [e.id for e in picked] == ["a0", "b0", "c0", "a1", "b1"]
    assert balanced_subset(episodes, None) == episodes
    in_turn = balanced_subset(episodes, 9)  # all of them, still in turn: a longer file's first 9
    assert [e.id for e in in_turn][:5] == ["a0", "b0", "c0", "a1", "b1"]
    assert balanced_subset(episodes, 100) == in_turn
    assert balanced_subset(episodes + [Episode.from_record({**_record(9, "a"), "id": "a9"})], 9) == in_turn


def test_two_items_under_one_id_are_refused(tmp_path):
    """Outcomes are remembered by id: a shared id would give one item the other's rewards."""
    sf.write(tmp_path / "0.wav", sine(300, 0.5), 16_000)
    twice = [{**_record(0), "audio_id": str(tmp_path / "0.wav"), "question": q} for q in ("A?", "B?")]
    with pytest.raises(DatasetError, match="'q0'.*unique id"):
        load_episodes(twice)
    for record in twice:  # without ids, both are named by their one audio file
        del record["id"]
    with pytest.raises(DatasetError, match="unique id"):
        load_episodes(twice)
    twice[1]["id"] = "other"
    assert [e.id for e in load_episodes(twice)] == [str(tmp_path / "0.wav"), "other"]

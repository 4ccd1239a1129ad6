"""The tool benchmark's runner: each task's cases depend on the seed and the task alone."""

import pytest

from audiorouter.evals.benchmarks.tools.run import ALL_TASKS, task_rng
from audiorouter.tools import get_tool


def draw(seed, task) -> list[int]:
    return task_rng(seed, task).integers(2**32, size=4).tolist()


def test_a_task_draws_the_same_cases_wherever_it_sits_in_the_list():
    first, second = ALL_TASKS[0], ALL_TASKS[1]
    assert draw(0, first) == draw(0, first)
    assert draw(0, first) != draw(0, second) and draw(0, first) != draw(1, first)
    assert len({task.name for task in ALL_TASKS}) == len(ALL_TASKS)  # names are the seeds


@pytest.mark.slow
@pytest.mark.parametrize("prefix", ["a speaker's gender", "speaking rate", "digits recorded by real",
                                    "events before and after speech"])
def test_derived_fact_tasks_score_the_tool_against_their_truth(prefix):
    task = next(t for t in ALL_TASKS if t.name.startswith(prefix))
    cases = task.make_cases(task_rng(0, task), 3)
    assert len({c.name for c in cases}) == 3 and all(c.truth for c in cases)
    scores = [task.score(get_tool(task.tool).execute((c.audio, c.sample_rate), c.args), c.truth)
              for c in cases]
    assert set(scores) <= {0.0, 1.0} and sum(scores) >= 2  # the tools get these mostly right


def test_digits_and_language_are_scored_on_what_the_summary_states():
    from types import SimpleNamespace as Out

    from audiorouter.evals.benchmarks.tools.speech import score_digits, score_language

    assert score_digits(Out(text="Mi número es el cinco, uno, cuatro.", in_digits="Mi número es el 5, 1, 4."), "514")
    assert score_digits(Out(text="Meine Nummer ist 5, 1, 4.", in_digits=None), "514")
    assert not score_digits(Out(text="Mi número es el cinco, cuatro.", in_digits="Mi número es el 5, 4."), "514")
    assert score_language(Out(language="es", language_name="Spanish"), {"language": "es"}) == 1.0
    assert score_language(Out(language="es", language_name=None), {"language": "es"}) == 0.0
    assert score_language(Out(language="pt", language_name="Portuguese"), {"language": "es"}) == 0.0


def test_gender_is_scored_on_every_voice_found_and_unsure_counts_wrong():
    from types import SimpleNamespace as Out

    from audiorouter.evals.benchmarks.tools.speakers import score_gender

    def voices(*genders):
        return Out(speakers=[Out(gender=g) for g in genders])

    assert score_gender(voices("female"), "female") == 1.0
    assert score_gender(voices("female", "female"), "female") == 1.0  # one voice split in two
    assert score_gender(voices("female", "male"), "female") == 0.0
    assert score_gender(voices(None), "male") == 0.0
    assert score_gender(voices(), "male") == 0.0


def test_events_around_speech_are_scored_on_the_counts_before_and_after_it():
    from types import SimpleNamespace as Out

    from audiorouter.evals.benchmarks.tools.sound import score_around_speech

    truth = {"before": 1, "after": 2}
    assert score_around_speech(Out(relative_to_speech=["before", "during", "after", "after"]), truth)
    assert not score_around_speech(Out(relative_to_speech=["during", "during", "after", "after"]),
                                   truth)
    assert not score_around_speech(Out(relative_to_speech=None), truth)  # no speech heard

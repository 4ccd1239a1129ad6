"""The tool benchmark's runner: each task's cases depend on the seed and the task alone."""

from audiorouter.evals.tool_bench.run import ALL_TASKS, task_rng


def draw(seed, task) -> list[int]:
    return task_rng(seed, task).integers(2**32, size=4).tolist()


def test_a_task_draws_the_same_cases_wherever_it_sits_in_the_list():
    first, second = ALL_TASKS[0], ALL_TASKS[1]
    assert draw(0, first) == draw(0, first)
    assert draw(0, first) != draw(0, second) and draw(0, first) != draw(1, first)
    assert len({task.name for task in ALL_TASKS}) == len(ALL_TASKS)  # names are the seeds

"""The tool-accuracy benchmark: ground-truth clips per tool task, scored and timed by `run.py`."""

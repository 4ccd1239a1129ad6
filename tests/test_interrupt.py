import os
import signal

import pytest

from audiorouter.training.interrupt import Interrupted, stop_on_interrupt, writing


def test_ctrl_c_stops_at_once_outside_a_write():
    with pytest.raises(Interrupted), stop_on_interrupt():
        os.kill(os.getpid(), signal.SIGINT)
        for _ in range(10**6):  # the handler runs between bytecodes, long before this ends
            pass
        pytest.fail("Ctrl-C did not stop the run")


def test_ctrl_c_during_a_write_stops_right_after_it():
    done = []
    before = signal.getsignal(signal.SIGINT)
    with pytest.raises(Interrupted), stop_on_interrupt() as guard:
        with writing(guard):
            os.kill(os.getpid(), signal.SIGINT)
            done.append("log row")
            done.append("state")
        done.append("next batch")
    assert done == ["log row", "state"] and signal.getsignal(signal.SIGINT) is before

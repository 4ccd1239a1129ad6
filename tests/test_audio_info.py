import numpy as np
import pytest

from audiorouter.tools.audio_info import audio_info, dbfs
from conftest import sine


def test_reports_the_original_format_and_levels():
    stereo = np.stack([sine(440, 2.0, 48_000, amp=0.5)] * 2, axis=1)
    out = audio_info.execute((stereo, 48_000))
    assert out.duration_s == pytest.approx(2.0, abs=1e-3)
    assert (out.original_sample_rate, out.channels) == (48_000, 2)
    assert out.peak_dbfs == pytest.approx(-6.02, abs=0.05)
    assert out.rms_dbfs == pytest.approx(-9.03, abs=0.1)  # a sine's RMS is 3 dB below its peak
    assert "stereo" in out.summary and "48 kHz" in out.summary


def test_silence_and_clipping_are_reported():
    assert dbfs(0.0) == -120.0
    loud = np.clip(sine(100, 1.0, amp=3.0), -1, 1)
    out = audio_info.execute((loud, 16_000))
    assert out.clipped_fraction > 0.3 and "clipping" in out.summary

"""The numpy Savitzky-Golay filter gives scipy's savgol_filter(mode="interp") values."""

import numpy as np
import pytest
from scipy.signal import savgol_filter as scipy_savgol

from ergopipe.savgol import savgol_filter


CASES = [(n, w, p) for n in (5, 9, 31, 300) for w, p in ((5, 2), (7, 3), (9, 2), (15, 3), (31, 4), (5, 1)) if w <= n]


@pytest.mark.parametrize("n, window, polyorder", CASES)
def test_equals_scipy_interp_mode(n, window, polyorder):
    x = np.cumsum(np.random.default_rng(n + window).normal(size=n)) * 10  # degrees-like random walk
    assert np.abs(savgol_filter(x, window, polyorder) - scipy_savgol(x, window, polyorder, mode="interp")).max() < 1e-8


def test_keeps_a_polynomial_of_its_order_exactly_and_refuses_bad_windows():
    t = np.arange(40, dtype=float)
    ramp = 0.5 * t**2 - 3 * t + 7
    assert np.allclose(savgol_filter(ramp, 9, 2), ramp)
    for window, polyorder in [(8, 2), (9, 9), (41, 2)]:
        with pytest.raises(ValueError, match="odd window"):
            savgol_filter(ramp, window, polyorder)

"""Exposure over time on generated series with known answers: zones, holds, static, repeated."""

import numpy as np
import pytest

from ergopipe.methods import RuleSettings, exposure

R = RuleSettings()
FPS = 10.0


def _t(seconds: float) -> np.ndarray:
    return np.arange(int(round(seconds * FPS))) / FPS


def test_zone_masks_boundaries_and_nan():
    a = np.array([-5.0, -0.5, 0.0, 20.0, 20.5, 60.0, 60.5, np.nan])
    m = exposure.zone_masks(a, R)
    assert m["< 0 (extension)"].tolist() == [1, 1, 0, 0, 0, 0, 0, 0]
    assert m["0-20"].tolist() == [0, 0, 1, 1, 0, 0, 0, 0]
    assert m["20-60"].tolist() == [0, 0, 0, 0, 1, 1, 0, 0]
    assert m["> 60"].tolist() == [0, 0, 0, 0, 0, 0, 1, 0]
    inc = exposure.zone_masks(a, RuleSettings(boundary="lower_inclusive"))
    assert inc["20-60"].tolist() == [0, 0, 0, 1, 1, 0, 0, 0]


def test_zone_percentages_and_longest_hold():
    t = _t(100)
    # 30 s at 10°, 25 s at 40°, 20 s at 70°, 25 s at 40°: 20-60 totals 50 % but the longest hold is 25 s.
    trunk = np.concatenate([np.full(300, 10.0), np.full(250, 40.0), np.full(200, 70.0), np.full(250, 40.0)])
    cols = {"trunk_flexion_deg": trunk}
    out = exposure.exposure_summary(cols, t, R, exposure.derive(cols, t, R))["parts"]["trunk_flexion"]
    assert out["time_pct"] == {"< 0 (extension)": 0.0, "0-20": 30.0, "20-60": 50.0, "> 60": 20.0}
    assert out["longest_hold_s"]["20-60"] == pytest.approx(25.0)
    assert out["longest_hold_s"]["0-20"] == pytest.approx(30.0)
    assert out["measured_s"] == pytest.approx(100.0)


def test_zone_percentages_are_of_measured_time():
    t = _t(10)
    a = np.concatenate([np.full(50, 10.0), np.full(50, np.nan)])
    cols = {"neck_flexion_deg": a}
    out = exposure.exposure_summary(cols, t, R, exposure.derive(cols, t, R))["parts"]["neck_flexion"]
    assert out["time_pct"]["0-20"] == 100.0 and out["measured_s"] == pytest.approx(5.0)


def test_static_hold_longer_than_a_minute():
    t = _t(120)
    rng = np.random.default_rng(0)
    a = 30 + rng.uniform(-9, 9, t.size)  # within ±10° of 30° ...
    a[700:] = 30 + 40 * np.sin(t[700:] * 2)  # ... for 70 s, then moving widely
    static = exposure.static_mask(a, exposure.frame_durations_s(t), band_deg=10, hold_s=60)
    assert static[:690].all() and not static[720:].any()


def test_static_needs_more_than_the_hold_time_and_nan_breaks_it():
    t = _t(100)
    dt = exposure.frame_durations_s(t)
    a = np.full(t.size, 30.0)
    a[500] = np.nan  # two holds of 50 s
    assert not exposure.static_mask(a, dt, band_deg=10, hold_s=60).any()
    a[500] = 30.0
    assert exposure.static_mask(a, dt, band_deg=10, hold_s=60).all()
    assert not exposure.static_mask(a, dt, band_deg=10, hold_s=100).any()  # exactly 100 s is not > 100 s


def test_slow_drift_is_not_static():
    t = _t(120)
    a = np.linspace(0, 90, t.size)  # 0.75°/s: any 20° band lasts ~27 s
    assert not exposure.static_mask(a, exposure.frame_durations_s(t), band_deg=10, hold_s=60).any()


@pytest.mark.parametrize("period_s,repeated", [(10.0, True), (20.0, False), (11.0, True), (16.0, False)])
def test_repeated_from_threshold_crossings(period_s, repeated):
    t = _t(120)
    cols = {"trunk_flexion_deg": 20 + 15 * np.sin(2 * np.pi * t / period_s)}
    d = exposure.derive(cols, t, R)
    rate = d.rate_per_min["trunk_flexion"]
    assert np.median(rate) == pytest.approx(60 / period_s, abs=1.01)
    assert d.repeated["trunk_flexion"][450:900].all() == repeated
    assert d.repeated["trunk_flexion"].any() == repeated


def test_noise_within_hysteresis_is_not_an_action():
    t = _t(60)
    a = 20 + np.where(np.arange(t.size) % 2 == 0, 2.0, -2.0)  # jitters across 20° inside the ±2.5° band
    assert exposure.action_times_s(a, t, 20.0, 2.5).size == 0
    assert exposure.action_times_s(a, t, 20.0, 1.0).size > 100


def test_one_reach_through_two_thresholds_is_one_action():
    t = _t(60)
    arm = np.where((t > 10) & (t < 12), 100.0, 0.0)  # crosses 20, 45 and 90 once
    d = exposure.derive({"left_upper_arm_flexion_deg": arm}, t, R)
    assert d.rate_per_min["left_upper_arm_flexion"].max() == pytest.approx(1.0)
    assert not d.repeated["left_upper_arm_flexion"].any()


def test_rate_window_of_a_short_video_is_the_whole_video():
    t = _t(30)
    events = np.array([1.0, 5.0, 9.0])
    rate, count = exposure.rate_per_min(events, t)
    assert (count == 3).all() and rate == pytest.approx(np.full(t.size, 3 * 60 / 30.0))


def test_rate_window_is_shifted_inside_the_video_at_the_ends():
    t = _t(120)
    rate, count = exposure.rate_per_min(np.array([10.0]), t)
    assert rate[0] == pytest.approx(1.0) and count[:300].tolist() == [1] * 300 and count[-1] == 0


def test_runs_and_frame_durations():
    assert exposure.runs(np.array([0, 1, 1, 0, 1])) == [(1, 2), (4, 4)]
    np.testing.assert_allclose(exposure.frame_durations_s(np.array([0.0, 0.1, 0.3])), [0.1, 0.2, 0.15])

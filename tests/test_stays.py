"""The fixes a streaming detector keeps (detect.stays), against a plain list of every fix appended."""

from __future__ import annotations

import numpy as np
import pytest

import detect.stays
from detect.stays import StayFixes


def appended(rng, slot, times):
    """Fix values for rows of `slot` at `times`, the longitude a unique tag of each fix."""
    n = len(slot)
    return {"time_ns": np.asarray(times, np.int64), "lon_deg": rng.uniform(-180, 180, n),
            "lat_deg": rng.uniform(-90, 90, n), "alt_baro_m": rng.uniform(0, 1e4, n),
            "alt_geo_m": rng.uniform(0, 1e4, n), "suspect": rng.random(n) < 0.1}


@pytest.mark.parametrize("seed", range(20))
def test_stretches_are_those_of_every_fix_appended(seed, monkeypatch):
    monkeypatch.setattr(detect.stays, "COMPACT_ROWS", int(np.random.default_rng(seed).integers(0, 20)))
    rng = np.random.default_rng(seed)
    stays, every = StayFixes(capacity=4), []  # every: (serial, slot, time, lon) of each fix still owned
    serial = {s: s for s in range(6)}
    next_serial, clock, keep = 6, {s: 0 for s in range(6)}, {s: 0 for s in range(6)}
    for _ in range(60):
        slots = np.sort(rng.choice(6, size=rng.integers(1, 5), replace=False))
        counts = rng.integers(1, 4, len(slots))
        slot = np.repeat(slots, counts)
        times = np.concatenate([clock[s] + np.cumsum(rng.integers(1, 10, c)) for s, c in zip(slots, counts)])
        values = appended(rng, slot, times)
        stays.append(slot, values)
        every += [(serial[s], s, t, x) for s, t, x in zip(slot, times, values["lon_deg"])]
        for s, c in zip(slots, counts):
            clock[s] = times[slot == s].max()
        if rng.random() < 0.3:  # a track keeps its fixes from a time on
            s = int(rng.choice(slots))
            keep[s] = int(rng.integers(keep[s], clock[s] + 1))
            stays.keep_from([s], [keep[s]])
        if rng.random() < 0.1:  # a track ends; its slot goes to a new one
            s = int(rng.integers(6))
            stays.forget([s])
            serial[s], next_serial, keep[s] = next_serial, next_serial + 1, 0
        stays.compact_if_grown()
        # Ask for stretches at or after the time each track keeps from.
        ask = np.arange(6)
        from_ns = np.array([int(rng.integers(keep[s], clock[s] + 2)) for s in ask])
        to_ns = from_ns + rng.integers(0, 30, 6)
        before, after = rng.random(6) < 0.5, rng.random(6) < 0.5
        fixes, altitudes = stays.fixes_of(ask, from_ns, to_ns, before, after)
        for i, s in enumerate(ask):
            own = [(t, x) for (k, slot_k, t, x) in every if k == serial[s] and slot_k == s]
            inside = [row for row in own if from_ns[i] <= row[0] <= to_ns[i]]
            earlier = [row for row in own if row[0] < from_ns[i]]  # the last before a kept time is kept
            later = [row for row in own if row[0] > to_ns[i]]
            expected = ([earlier[-1]] if before[i] and earlier else []) + inside + (
                [later[0]] if after[i] and later else [])
            rows = (fixes.track_code == np.searchsorted(fixes.track_names, i)) & np.isin(i, fixes.track_names)
            got = list(zip(fixes.time_ns[rows].tolist(), fixes.lon_deg[rows].tolist()))
            assert got == expected, (i, s)
        assert len(altitudes["alt_baro_m"]) == len(fixes.time_ns)


def test_a_stretch_is_a_track_of_its_own_in_time_order():
    stays = StayFixes()
    rng = np.random.default_rng(0)
    stays.append(np.array([3, 3, 3, 5]), appended(rng, [3, 3, 3, 5], [10, 20, 30, 15]))
    fixes, _ = stays.fixes_of([5, 3, 4], [0, 15, 0], [99, 30, 99], one_before=[False, True, False])
    assert fixes.time_ns.tolist() == [15, 10, 20, 30]
    assert fixes.track_names.tolist() == [0, 1]  # the third stretch, of a slot never used, is empty
    assert fixes.track_start.tolist() == [True, True, False, False]
    assert fixes.track_end.tolist() == [True, False, False, True]

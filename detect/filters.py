"""Which fixes count and which events are kept: a time range, and who the aircraft belongs to.

:class:`EventFilters` holds the options :func:`detect.find_violations` and
:class:`detect.StreamingDetector` share, and applies them the same way in both:

- ``time_from`` / ``time_to``: only the fixes from ``time_from`` to
  ``time_to`` (both included) are detected, as if the recording held no
  others. An event under way at ``time_from`` begins at the first fix at or
  after it, with entry face ``start``; one under way at ``time_to`` ends at
  the last fix at or before it, with exit face ``end``. The path between a
  fix outside the range and the first (or last) fix inside it is not looked
  at. Times must say their zone (``2025-09-19T06:00Z``, ``+03:00``): a
  naive time is refused, never taken to be UTC.
- ``registry_country``: every event gets the state of registry of its
  track's aircraft (:func:`tracks.track_registries`, from the ``icao24`` of
  the track's first fix); missing where the track has no address, or one in
  no state's block.
- ``foreign_only``: drop the events of aircraft registered in the state the
  volume belongs to (``registry_country == country``). Events whose registry
  or volume's state is unknown are kept.
- ``exclude_registry``: drop the events of aircraft registered in these
  states (ISO alpha-3 codes). Events of unknown registry are kept.

Volumes (kinds, OpenAir classes, an altitude band) are chosen before
detection, by :func:`airspace.select_airspace`.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from detect.window import FIX_VALUES, Batch

_ALPHA3 = re.compile(r"[A-Z]{3}")


def utc_time(value, name: str = "time") -> pd.Timestamp | None:
    """A moment given with its zone, in UTC; None for None. A naive time is refused.

    Parameters
    ----------
    value : str, datetime or pandas.Timestamp, or None
        ISO 8601 text with a zone (``Z``, ``+02:00``), or a zone-aware time.
    name : str
        What the time is, for the message.

    Raises
    ------
    ValueError
        Naming `name` and the value, when it is not a time or has no zone.

    Examples
    --------
    >>> utc_time("2025-09-19T09:00+03:00")
    Timestamp('2025-09-19 06:00:00+0000', tz='UTC')
    >>> utc_time("2025-09-19T06:00", "time_from")
    Traceback (most recent call last):
    ValueError: time_from: '2025-09-19T06:00' has no time zone; write it in UTC as 2025-09-19T06:00Z, or with its offset
    """
    if value is None:
        return None
    try:
        moment = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise ValueError(f"{name}: {value!r} is not a time; write e.g. 2025-09-19T06:00Z") from None
    if moment is pd.NaT:
        raise ValueError(f"{name}: {value!r} is not a time; write e.g. 2025-09-19T06:00Z")
    if moment.tzinfo is None:
        raise ValueError(f"{name}: {value!r} has no time zone; write it in UTC as "
                         f"{moment.isoformat(timespec='minutes')}Z, or with its offset")
    return moment.tz_convert("UTC").as_unit("ns")


def option_number(value, name: str, *, zero: bool = True) -> float | None:
    """A number of seconds or metres given as an option, as a float; None for None.

    Parameters
    ----------
    value : int or float, or None
    name : str
        The option, for the message.
    zero : bool
        Whether 0 is allowed (else the number must be positive).

    Raises
    ------
    ValueError
        Naming `name` and the value, when it is not a real number, is NaN,
        or is negative (or 0 where not allowed).

    Examples
    --------
    >>> option_number(30, "min_duration_s")
    30.0
    >>> option_number("30", "min_duration_s")
    Traceback (most recent call last):
    ValueError: min_duration_s: '30' is not a number
    >>> option_number(0, "max_gap_s", zero=False)
    Traceback (most recent call last):
    ValueError: max_gap_s: 0 must be positive
    """
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name}: {value!r} is not a number")
    number = float(value)
    if np.isnan(number) or number < 0 or (number == 0 and not zero):
        raise ValueError(f"{name}: {value!r} must be {'at least 0' if zero else 'positive'}")
    return number


def registry_codes(codes, name: str = "exclude_registry") -> frozenset:
    """ISO alpha-3 codes given as text (comma-separated) or a list, upper-cased and checked.

    Examples
    --------
    >>> sorted(registry_codes("fra, ITA"))
    ['FRA', 'ITA']
    >>> registry_codes(["FR"])
    Traceback (most recent call last):
    ValueError: exclude_registry: 'FR' is not an ISO 3166-1 alpha-3 code (e.g. FRA)
    """
    if codes is None:
        return frozenset()
    if isinstance(codes, str):
        codes = codes.split(",")
    elif not np.iterable(codes):
        raise ValueError(f"{name}: {codes!r} is not a list of ISO 3166-1 alpha-3 codes (e.g. 'FRA,ITA')")
    checked = set()
    for code in codes:
        word = str(code).strip().upper()
        if not _ALPHA3.fullmatch(word):
            raise ValueError(f"{name}: {str(code).strip()!r} is not an ISO 3166-1 alpha-3 code (e.g. FRA)")
        checked.add(word)
    return frozenset(checked)


@dataclass(frozen=True)
class EventFilters:
    """The time range and registry filters, checked once (see the module notes).

    Examples
    --------
    >>> filters = EventFilters.of(time_from="2025-09-19T06:00Z", exclude_registry="RUS")
    >>> filters.time_from, sorted(filters.exclude_registry), filters.foreign_only
    (Timestamp('2025-09-19 06:00:00+0000', tz='UTC'), ['RUS'], False)
    """

    time_from: pd.Timestamp | None = None
    time_to: pd.Timestamp | None = None
    foreign_only: bool = False
    exclude_registry: frozenset = frozenset()

    @classmethod
    def of(cls, time_from=None, time_to=None, foreign_only=False, exclude_registry=None) -> "EventFilters":
        """The filters from the options as users give them; raises ValueError for a bad one.

        Examples
        --------
        >>> EventFilters.of(time_from="2025-09-19T07:00Z", time_to="2025-09-19T06:00Z")
        Traceback (most recent call last):
        ValueError: time_to: 2025-09-19 06:00:00+00:00 is before time_from 2025-09-19 07:00:00+00:00
        """
        time_from, time_to = utc_time(time_from, "time_from"), utc_time(time_to, "time_to")
        if time_from is not None and time_to is not None and time_to < time_from:
            raise ValueError(f"time_to: {time_to} is before time_from {time_from}")
        return cls(time_from, time_to, bool(foreign_only), registry_codes(exclude_registry))

    def _bounds_ns(self) -> tuple[int, int]:
        low = np.iinfo(np.int64).min if self.time_from is None else self.time_from.value
        high = np.iinfo(np.int64).max if self.time_to is None else self.time_to.value
        return low, high

    def fixes(self, tracks: pd.DataFrame) -> pd.DataFrame:
        """The rows of a tracks table within the time range (the table itself when there is none).

        Examples
        --------
        >>> from tracks import make_tracks
        >>> fixes = make_tracks("A", pd.date_range("2025-09-19 06:00", periods=4, freq="min", tz="UTC"),
        ...                     lon=[1.0, 2.0, 3.0, 4.0], lat=[0.0] * 4)
        >>> EventFilters.of(time_from="2025-09-19T06:01Z", time_to="2025-09-19T06:02Z").fixes(fixes)["lon"].tolist()
        [2.0, 3.0]
        """
        if self.time_from is None and self.time_to is None:
            return tracks
        low, high = self._bounds_ns()
        time_ns = tracks["time"].to_numpy(dtype="datetime64[ns]").view(np.int64)
        within = (time_ns >= low) & (time_ns <= high)
        return tracks if within.all() else tracks[within]

    def batch(self, batch: Batch) -> Batch:
        """The fixes of a streaming batch within the time range; tracks with none left out.

        Examples
        --------
        >>> from tracks import make_tracks
        >>> batch = Batch.of(make_tracks(["A", "A", "B"], pd.date_range("2025-09-19 06:00", periods=3, freq="min",
        ...                              tz="UTC"), lon=[1.0, 2.0, 3.0], lat=[0.0] * 3))
        >>> kept = EventFilters.of(time_from="2025-09-19T06:01Z").batch(batch)
        >>> kept.track_names.tolist(), kept.count.tolist(), kept.first.tolist(), kept.lon_deg.tolist()
        (['A', 'B'], [1, 1], [0, 1], [2.0, 3.0])
        """
        low, high = self._bounds_ns()
        keep = (batch.time_ns >= low) & (batch.time_ns <= high)
        if keep.all():
            return batch
        track = np.repeat(np.arange(len(batch.count)), batch.count)
        count = np.bincount(track[keep], minlength=len(batch.count))
        has_fixes = count > 0
        count = count[has_fixes]
        return dataclasses.replace(
            batch, track_names=batch.track_names[has_fixes], count=count,
            first=np.concatenate([[0], np.cumsum(count)[:-1]]).astype(np.int64),
            **{name: getattr(batch, name)[keep] for name in FIX_VALUES})

    def kept(self, country, registry) -> np.ndarray:
        """Whether events in volumes of states `country` by aircraft of `registry` pass the registry filters.

        Examples
        --------
        >>> filters = EventFilters.of(foreign_only=True, exclude_registry="RUS")
        >>> filters.kept(["EST", "EST", "EST", None], ["EST", "RUS", None, "FIN"]).tolist()
        [False, False, True, True]
        """
        country = pd.Series(np.asarray(country, dtype=object), dtype=object)
        registry = pd.Series(np.asarray(registry, dtype=object), dtype=object)
        known = registry.notna().to_numpy()
        keep = ~(known & registry.isin(self.exclude_registry).to_numpy())
        if self.foreign_only:
            keep &= ~(known & (registry.fillna("") == country.fillna("")).to_numpy(bool))
        return keep

    def events(self, events: pd.DataFrame, registries: dict) -> pd.DataFrame:
        """An events table with each event's ``registry_country`` from `registries` (track id to code), filtered.

        Examples
        --------
        >>> from detect.example_data import example_tables
        >>> events = example_tables()[0]
        >>> registries = dict.fromkeys(events["track_id"], events["country"].iloc[0])
        >>> len(events), len(EventFilters.of(foreign_only=True).events(events, registries))
        (5, 0)
        """
        registry = events["track_id"].astype(object).map(registries)
        events = events.assign(registry_country=pd.array(registry.to_numpy(object), dtype="string"))
        if not self.foreign_only and not self.exclude_registry:
            return events
        keep = self.kept(events["country"].to_numpy(object), registry.to_numpy(object))
        return events[keep].reset_index(drop=True)

    def notices(self, notices: list, registries: dict) -> list:
        """The notices of a streaming replay whose events pass, each event given its ``registry_country``.

        Examples
        --------
        >>> from detect.replay import Notice
        >>> notices = [Notice("entry", {"track_id": "A", "country": "EST"}),
        ...            Notice("entry", {"track_id": "B", "country": "EST"})]
        >>> kept = EventFilters.of(foreign_only=True).notices(notices, {"A": "EST", "B": "FIN"})
        >>> [notice.event["track_id"] for notice in kept], kept[0].event["registry_country"]
        (['B'], 'FIN')
        """
        for notice in notices:
            notice.event["registry_country"] = registries.get(notice.event["track_id"])
        if not notices or (not self.foreign_only and not self.exclude_registry):
            return notices
        keep = self.kept([n.event["country"] for n in notices], [n.event["registry_country"] for n in notices])
        return [notice for notice, kept in zip(notices, keep) if kept]

"""What the filter options do to a command's inputs, and what they say about it on stderr.

:func:`check_time_range` refuses a time range upside down;
:func:`chosen_volumes` applies ``--kind``, ``--class``, ``--min-alt`` and
``--max-alt`` to the airspace table; :func:`registry_note` tells how the
tracks' states of registry came out and how many events each has, for the
summary of ``detect`` and ``replay``.
"""

import click

from detect.cli.say import say


def check_time_range(event_filters: dict) -> None:
    """Refuse ``--to`` before ``--from`` as a usage error, before any work.

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> check_time_range({"time_from": datetime(2025, 9, 19, 10, tzinfo=timezone.utc),
    ...                   "time_to": datetime(2025, 9, 19, 9, tzinfo=timezone.utc)})
    Traceback (most recent call last):
    ...
    click.exceptions.UsageError: --to 2025-09-19T09:00:00+00:00 is before --from 2025-09-19T10:00:00+00:00
    """
    time_from, time_to = event_filters.get("time_from"), event_filters.get("time_to")
    if time_from is not None and time_to is not None and time_to < time_from:
        raise click.UsageError(f"--to {time_to.isoformat()} is before --from {time_from.isoformat()}")


def chosen_volumes(airspace, volume_choice: dict):
    """The volumes the choice options keep (:func:`airspace.select_airspace`); how many, said on stderr.

    Raises ValueError (shown as a one-line error) for a kind or class no
    volume has, a limit that is not one, or a band that does not compare.

    Examples
    --------
    >>> import contextlib, io
    >>> from detect.example_data import example_tables
    >>> zones = example_tables()[2]
    >>> with contextlib.redirect_stderr(io.StringIO()) as stderr:
    ...     kept = chosen_volumes(zones, {"kinds": "danger", "classes": None, "min_alt": None, "max_alt": None})
    >>> kept["airspace_id"].tolist(), stderr.getvalue().strip()
    (['EX-D2'], '1 of 2 airspace volume(s) chosen (--kind danger)')
    """
    given = {name: value for name, value in volume_choice.items() if value is not None}
    if not given:
        return airspace
    from airspace.selection import select_airspace

    kept = select_airspace(airspace, **given)
    options = {"kinds": "--kind", "classes": "--class", "min_alt": "--min-alt", "max_alt": "--max-alt"}
    told = " ".join(f"{options[name]} {value}" for name, value in given.items())
    say(f"{len(kept)} of {len(airspace)} airspace volume(s) chosen ({told})")
    return kept


LISTED_REGISTRIES = 12
"""States of registry named in the events' summary, those with the most events; the others are counted."""


def registry_note(counts: dict, events, event_filters: dict) -> str | None:
    """The states of registry of the tracks and the events by registry, for people; None when nothing to say.

    Said when some track has an ICAO 24-bit address, or a registry filter
    was asked for (then also when none has: every registry is unknown).

    Parameters
    ----------
    counts : dict
        The tracks' addresses counted by :func:`tracks.registry_counts`.
    events : pandas.DataFrame
        The events table.
    event_filters : dict
        The event filter options given (``foreign_only``, ``exclude_registry``).

    Examples
    --------
    >>> import pandas as pd
    >>> from tracks import make_tracks
    >>> fixes = make_tracks(["A", "B", "C"], pd.date_range("2025-09-19", periods=3, freq="min", tz="UTC"),
    ...                     lon=[24.0] * 3, lat=[59.0] * 3)
    >>> fixes["icao24"] = ["155555", "zzz", "f00001"]
    >>> events = pd.DataFrame({"registry_country": pd.array(["RUS", "RUS", None], dtype="string")})
    >>> from tracks import registry_counts
    >>> print(registry_note(registry_counts(fixes), events, {"foreign_only": True}))
    state of registry (ICAO 24-bit address): 1 of 3 track(s); 1 in no state's block, 1 malformed, 0 without
    events by registry: RUS 2, unknown 1 (kept by --foreign-only and --exclude-registry)

    Beyond :data:`LISTED_REGISTRIES` states, the others are counted together:

    >>> events = pd.DataFrame({"registry_country": pd.array([f"S{k:02d}" for k in range(15)] * 2 + ["S00"],
    ...                                                      dtype="string")})
    >>> print(registry_note(registry_counts(fixes), events, {}).splitlines()[1])  # doctest: +NORMALIZE_WHITESPACE
    events by registry: S00 3, S01 2, S02 2, S03 2, S04 2, S05 2, S06 2, S07 2, S08 2, S09 2, S10 2, S11 2,
    3 other state(s) 6
    """
    asked = bool(event_filters.get("foreign_only") or event_filters.get("exclude_registry"))
    total = sum(counts.values())
    if counts["missing"] == total and not asked:
        return None
    lines = [f"state of registry (ICAO 24-bit address): {counts['state']} of {total} track(s); "
             f"{counts['unassigned']} in no state's block, {counts['malformed']} malformed, "
             f"{counts['missing']} without"]
    if len(events):
        registry = events["registry_country"].astype(object).where(events["registry_country"].notna(), "unknown")
        by_registry = registry.value_counts().sort_index().sort_values(ascending=False, kind="stable")
        shown = by_registry.index[:LISTED_REGISTRIES].union(by_registry.index.intersection(["unknown"]), sort=False)
        listed = ", ".join(f"{code} {by_registry[code]}" for code in shown)
        if len(shown) < len(by_registry):
            rest = by_registry.drop(shown)
            listed += f", {len(rest)} other state(s) {rest.sum()}"
        kept = " (kept by --foreign-only and --exclude-registry)" if asked and "unknown" in by_registry else ""
        lines.append(f"events by registry: {listed}{kept}")
    return "\n".join(lines)

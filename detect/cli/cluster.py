"""``airwarden detect --scheduler``: the detection on a dask cluster, its progress on stderr.

The recordings become a dask DataFrame (:func:`tracks.read_dataset`), the
events another (:func:`detect.find_violations`); both are computed on the
cluster at once with the reading report. Events go to one file (or stdout),
or, for an ending ``.parquet``, to a partitioned Parquet dataset: a folder
of one file per partition, written by the workers, that ``airwarden map``
reads as one events file.
"""

import contextlib
import sys
import warnings

import click

from detect.cli.errors import input_errors
from detect.cli.filtering import registry_note
from detect.cli.say import quiet, say


def detect_on_cluster(paths, reading, airspace, detection, scheduler, out):
    """Detect on the cluster at `scheduler`; write the events; say the report and the time taken.

    Parameters
    ----------
    paths : sequence of pathlib.Path or str
        Recordings: files, folders, glob patterns.
    reading : dict
        Keyword options of :func:`tracks.read_dataset` (those given).
    airspace : geopandas.GeoDataFrame
        The airspace table, prepared here once and shipped to the workers.
    detection : dict
        Keyword options of :func:`detect.find_violations`.
    scheduler : str
        ``"local"`` for a :class:`distributed.LocalCluster` on this machine,
        else the address of a running scheduler (``tcp://host:8786``).
    out : pathlib.Path or None
        The events file (its ending names the format; ``.parquet`` a
        partitioned dataset), or None for CSV on stdout.

    Returns
    -------
    int
        The number of events.

    Examples
    --------
    >>> import contextlib, io, pathlib, tempfile
    >>> from detect.example_data import EXAMPLE_TRACKS, example_tables
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "events.parquet"
    >>> with contextlib.redirect_stderr(io.StringIO()):
    ...     detect_on_cluster([EXAMPLE_TRACKS], {}, example_tables()[2], {}, "local", out)
    5
    >>> from detect.events_io import read_events
    >>> len(read_events(out)), out.is_dir()
    (5, True)
    """
    import time

    from detect.core import find_violations
    from detect.events_io import write_events
    from tracks.dataset import read_dataset

    distributed = _distributed()
    started = time.perf_counter()
    with _client(distributed, scheduler) as client, warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Computing mixed collections")  # the report and the events
        with input_errors():
            dataset, report = read_dataset(list(map(str, paths)), **reading)
            events = find_violations(dataset, airspace, **detection)
        dataset_out = out is not None and out.suffix.lower() == ".parquet"
        # For a Parquet dataset, only the events' states of registry come back, for the summary.
        wanted = [events.to_parquet(out, write_index=False, compute=False), events[["registry_country"]]] \
            if dataset_out else [events]
        futures = client.compute([*wanted, _registry_counts(dataset), report])
        if sys.stderr.isatty() and not quiet():
            with contextlib.redirect_stdout(sys.stderr):
                distributed.progress(futures)
                click.echo(err=True)
        with input_errors():
            *_, found, counts, report = client.gather(futures)
    say(str(report))
    if dataset_out:
        say(f"events written as a Parquet dataset to {out}/ ({events.npartitions} part(s))")
    else:
        from detect.events import in_event_order

        found = in_event_order(found, found["track_id"].dtype)
        write_events(found, sys.stdout if out is None else out, ending=".csv")
    n_events = len(found)
    note = registry_note(counts.sum().astype(int).to_dict(), found, detection)
    if note:
        say(note)
    say(f"{n_events} event(s) from {report.rows_accepted} fixes in {time.perf_counter() - started:.2f} s")
    return n_events


def _registry_counts(dataset):
    """The tracks' addresses counted by :func:`tracks.registry_counts` in each partition (each holds whole
    tracks), as a dask DataFrame of one row a partition."""
    import pandas as pd

    from tracks.registry import registry_counts

    meta = pd.DataFrame({name: pd.Series(dtype="int64") for name in ("state", "unassigned", "malformed", "missing")})
    return dataset.map_partitions(lambda part: pd.DataFrame([registry_counts(part)]), meta=meta)


def _distributed():
    """The distributed package, or a one-line error saying how to install it."""
    try:
        import distributed
    except ImportError as error:
        raise click.ClickException(
            f"--scheduler needs dask ({error}); install it with pip install 'airwarden[dask]'"
        ) from None
    return distributed


@contextlib.contextmanager
def _client(distributed, scheduler):
    """A client of a new LocalCluster (``"local"``; its workers log no failed task: the command says it) or of
    the scheduler at an address."""
    if scheduler == "local":
        from detect.cli.quiet_workers import QuietFailedTasks

        http = {"dashboard_address": "127.0.0.1:0"}  # its health checks on a free port, not dask's 8787, maybe taken
        with distributed.LocalCluster(dashboard_address=None, scheduler_kwargs=http) as cluster, \
                distributed.Client(cluster) as client:
            client.register_plugin(QuietFailedTasks())
            yield client
        return
    try:
        client = distributed.Client(scheduler, timeout="20s")
    except OSError as error:
        raise click.ClickException(f"--scheduler {scheduler}: cannot connect ({error})") from None
    with client:
        yield client

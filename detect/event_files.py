"""The file endings an events table is written to and read from.

Apart from :mod:`detect.events_io`, which writes and reads them, so that the
command line names them in its help and checks ``--out`` before importing
pandas.
"""

EVENT_FILE_ENDINGS = (".csv", ".json", ".geojson", ".parquet")
"""What :func:`detect.write_events` and :func:`detect.read_events` take, lowercase."""

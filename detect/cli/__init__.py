"""The ``airwarden`` command line: one module per command.

Machine output goes to stdout (CSV, GeoJSON, JSON lines), messages for people
to stderr. Exit status: 0 on success, whether or not there were violations;
2 on bad usage or bad input; 130 when interrupted (Ctrl-C).

The modules:

- :mod:`~detect.cli.entry`: the console script, and Ctrl-C while it starts;
- :mod:`~detect.cli.group`: the ``airwarden`` group, which gathers the commands;
- one module per command: :mod:`~detect.cli.detect`, :mod:`~detect.cli.replay`,
  :mod:`~detect.cli.map`, :mod:`~detect.cli.demo`, :mod:`~detect.cli.tracks`,
  :mod:`~detect.cli.countries`, :mod:`~detect.cli.airspace`;
- what several commands share: :mod:`~detect.cli.options` (the options),
  :mod:`~detect.cli.values` (the kinds of value they take),
  :mod:`~detect.cli.errors` (bad input), :mod:`~detect.cli.inputs`
  (recordings and airspace read for a command), :mod:`~detect.cli.replaying`
  (a replay told as it happens) and :mod:`~detect.cli.drawing` (maps).

Up front, the command line imports only click, the standard library and
modules that import nothing more (:mod:`borders.attribution`,
:mod:`detect.event_files`, :mod:`tracks.formats`): each command imports what
it needs when it runs, so that ``--help``, ``--version`` and usage errors are
answered at once. This package itself imports nothing, so that the console
script (:mod:`detect.cli.entry`) guards against Ctrl-C from its first line.
"""

"""``airwarden countries``: the states and territories airwarden knows, with their codes."""

import sys

import click


@click.command("countries")
@click.option("--csv", "as_csv", is_flag=True, help="CSV on stdout instead of a table for people.")
def countries_command(as_csv):
    """List the states and territories airwarden knows, with their codes.

    Any of them can be given to `airwarden airspace` or `--against` by its
    alpha-2 or alpha-3 code or its English name. Dependencies (Åland, the
    Faroe Islands, ...) name the state they belong to.
    \f

    Examples
    --------
    >>> from click.testing import CliRunner
    >>> from detect.cli.group import main
    >>> rows = CliRunner().invoke(main, ["countries", "--csv"]).stdout.splitlines()
    >>> rows[0], [row for row in rows if ",EST," in row]
    ('iso_a2,iso_a3,name,sovereign_iso_a3,relation', ['EE,EST,Estonia,EST,sovereign state'])
    """
    from borders import countries

    table = countries()[["iso_a2", "iso_a3", "name", "sovereign_iso_a3", "relation"]]
    if as_csv:
        table.to_csv(sys.stdout, index=False)
    else:
        click.echo(table.to_string(index=False))


__test__ = {"countries_command": countries_command.callback}  # a command is no function: its examples run so

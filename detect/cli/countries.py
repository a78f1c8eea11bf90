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
    """
    from borders import countries

    table = countries()[["iso_a2", "iso_a3", "name", "sovereign_iso_a3", "relation"]]
    if as_csv:
        table.to_csv(sys.stdout, index=False)
    else:
        click.echo(table.to_string(index=False))

"""Messages for people on stderr, silenced by ``airwarden -q``.

Warnings and errors are not said through here: ``-q`` keeps them.
"""

import click


def quiet():
    """Whether the command runs under ``airwarden -q`` (False outside a command).

    Examples
    --------
    >>> quiet()
    False
    """
    context = click.get_current_context(silent=True)
    return bool(context is not None and context.find_root().params.get("quiet"))


def say(text, **style):
    """Write `text` on stderr for people, unless ``-q`` was given; `style` goes to :func:`click.secho`.

    Examples
    --------
    >>> say("3 event(s) written to events.csv")  # outside a command: said (on stderr)
    """
    if not quiet():
        click.secho(text, err=True, **style)

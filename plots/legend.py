"""The legend entries the maps share: the track outside and inside, the limit of sovereign airspace."""

from matplotlib.lines import Line2D

from plots.style import COLOURS


def track_entries(outside, inside):
    """The legend entries of the track outside and inside, each given as ``(label, line width)``.

    Examples
    --------
    >>> [entry.get_label() for entry in track_entries(("track", 1.2), ("inside", 2.4))]
    ['track', 'inside']
    """
    return [
        Line2D([], [], color=COLOURS["track_outside"], linewidth=outside[1], label=outside[0]),
        Line2D([], [], color=COLOURS["track_inside"], linewidth=inside[1], label=inside[0]),
    ]


def sovereign_limit_entry():
    """The legend entry of the limit of a state's airspace, as the basemap draws it.

    Examples
    --------
    >>> sovereign_limit_entry().get_label()
    'sovereign airspace limit'
    """
    return Line2D([], [], color=COLOURS["state_border"], linewidth=1.0, label="sovereign airspace limit")

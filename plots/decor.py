"""What frames a picture: scale bar, north arrow, title, illustrative banner, attribution footer."""

import math
import textwrap

import numpy as np
from matplotlib.offsetbox import AnchoredOffsetbox, AuxTransformBox, TextArea, VPacker
from matplotlib.patches import Rectangle

import borders
from plots.style import COLOURS, ILLUSTRATIVE_TEXT
from tracks.units import NAUTICAL_MILE_M

_NICE_STEPS = (1.0, 2.0, 5.0)


def nice_length(at_most):
    """The largest 1, 2 or 5 times a power of ten that is not above `at_most` (> 0).

    Examples
    --------
    >>> nice_length(7.3), nice_length(0.45), nice_length(20.0)
    (5.0, 0.2, 20.0)
    """
    exponent = math.floor(math.log10(at_most))
    best = 10.0**exponent
    for step in _NICE_STEPS:
        candidate = step * 10.0**exponent
        if candidate <= at_most * (1 + 1e-9):
            best = candidate
    return float(f"{best:.12g}")


def _bar(ax, length_m, text, colour):
    """A scale bar `length_m` long in data units with `text` above it, as an offsetbox."""
    box = AuxTransformBox(ax.transData)
    height = 0.008 * (ax.get_ylim()[1] - ax.get_ylim()[0])
    half = length_m / 2
    box.add_artist(Rectangle((0, 0), half, height, facecolor=colour, edgecolor=colour))
    box.add_artist(Rectangle((half, 0), half, height, facecolor="white", edgecolor=colour))
    return VPacker(children=[TextArea(text, textprops={"fontsize": 8}), box], align="center", pad=0, sep=2)


def scale_bar(ax, *, loc="lower right"):
    """Two scale bars, one in km and one in NM, each about a fifth of the view's width.

    The axes must be in metres of an equidistant local projection, with
    their limits set. Returns the anchored box holding the bars.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().add_subplot(xlim=(0.0, 50_000.0), ylim=(0.0, 30_000.0))
    >>> type(scale_bar(ax)).__name__
    'AnchoredOffsetbox'
    """
    width_m = ax.get_xlim()[1] - ax.get_xlim()[0]
    km = nice_length(width_m / 5 / 1000)
    nm = nice_length(width_m / 5 / NAUTICAL_MILE_M)
    bars = VPacker(
        children=[
            _bar(ax, km * 1000, f"{km:g} km", "#222222"),
            _bar(ax, nm * NAUTICAL_MILE_M, f"{nm:g} NM", "#555555"),
        ],
        align="right", pad=0, sep=4,
    )
    anchored = AnchoredOffsetbox(loc=loc, child=bars, frameon=True, pad=0.4, borderpad=0.6)
    anchored.patch.set(facecolor="white", alpha=0.85, edgecolor="#888888", boxstyle="round,pad=0.2")
    ax.add_artist(anchored)
    return anchored


def north_arrow(ax, *, x=0.05, y=0.86):
    """An arrow pointing up (north at the centre of the local projection), labelled N.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> north_arrow(Figure().add_subplot()).get_text()
    'N'
    """
    return ax.annotate(
        "N", xy=(x, y + 0.09), xytext=(x, y), xycoords="axes fraction",
        ha="center", va="top", fontsize=13, fontweight="bold",
        arrowprops={"arrowstyle": "-|>,head_width=0.5,head_length=0.8", "linewidth": 2.2, "color": "black"},
        bbox={"boxstyle": "circle,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.7},
        zorder=20,
    )


def map_furniture(ax):
    """The scale bar and the north arrow on a map, and no ticks: the axes are in metres nobody reads.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().add_subplot(xlim=(0.0, 50_000.0), ylim=(0.0, 30_000.0))
    >>> map_furniture(ax)
    >>> len(ax.get_xticks()), len(ax.texts)
    (0, 1)
    """
    scale_bar(ax)
    north_arrow(ax)
    ax.set_xticks([])
    ax.set_yticks([])


def footer(fig, *extra, width_chars=200):
    """The data attribution (:data:`borders.ATTRIBUTION`), wrapped at the bottom of the figure.

    `extra` sentences (the projection, say) are written before it; the text
    is wrapped at `width_chars` characters a line.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> footer(Figure(), "Azimuthal equidistant projection.").get_text()[:50]
    'Azimuthal equidistant projection. National airspac'
    """
    text = textwrap.fill(" ".join([*extra, borders.ATTRIBUTION]), width=width_chars)
    return fig.text(0.01, 0.008, text, ha="left", va="bottom", fontsize=6.5, color=COLOURS["footer"])


def illustrative_banner(fig):
    """The illustrative-scenario banner, white on red across the top of the figure.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> illustrative_banner(Figure()).get_text() == ILLUSTRATIVE_TEXT
    True
    """
    return fig.text(
        0.5, 1 - 0.06 / fig.get_figheight(), ILLUSTRATIVE_TEXT, ha="center", va="top", fontsize=13,
        fontweight="bold", color="white",
        bbox={"boxstyle": "square,pad=0.35", "facecolor": COLOURS["banner"], "edgecolor": "none"}, zorder=30,
    )


def watermark(ax):
    """A faint diagonal 'ILLUSTRATIVE' across the axes, so a cropped map still says so.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> watermark(Figure().add_subplot()).get_rotation()
    30.0
    """
    return ax.text(
        0.5, 0.5, "ILLUSTRATIVE", transform=ax.transAxes, rotation=30, ha="center", va="center",
        fontsize=60, color=COLOURS["banner"], alpha=0.08, fontweight="bold", zorder=25, clip_on=True,
    )


def title(fig, heading, subheading=None, *, illustrative=False):
    """The figure's title (and a smaller line under it), below the banner if illustrative.

    A line too long for the figure's width at its size is set smaller, so
    that it stays within the picture.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> [text.get_text() for text in title(Figure(), "SU30-1 in Lithuania", "entry 15:59:53 Z")]
    ['SU30-1 in Lithuania', 'entry 15:59:53 Z']
    """
    height_in, width_in = fig.get_figheight(), fig.get_figwidth()
    top = 1 - (0.55 if illustrative else 0.12) / height_in
    artists = [fig.text(0.5, top, heading, ha="center", va="top", fontweight="bold",
                        fontsize=_fitting_size(heading, width_in, 14.0, BOLD_CHARACTER_EM))]
    if subheading:
        artists.append(fig.text(0.5, top - 0.33 / height_in, subheading, ha="center", va="top",
                                fontsize=_fitting_size(subheading, width_in, 10.5, CHARACTER_EM)))
    return artists


#: Mean width of a character of the pictures' font, in ems (of bold text: BOLD_CHARACTER_EM), a little generous.
CHARACTER_EM, BOLD_CHARACTER_EM = 0.56, 0.64


def _fitting_size(text, width_in, largest_pt, character_em, smallest_pt=7.0):
    """The font size (pt) at which `text` spans at most 96 % of `width_in`, at most `largest_pt`."""
    fitting_pt = 0.96 * width_in * 72.0 / (character_em * max(len(text), 1))
    return float(np.clip(fitting_pt, smallest_pt, largest_pt))


def direction_offset(from_xy, to_xy, distance_pt):
    """An offset in points of length `distance_pt` along the direction from one point to another.

    Examples
    --------
    >>> [float(value) for value in direction_offset((0.0, 0.0), (3.0, 4.0), 10.0)]
    [6.0, 8.0]
    """
    dx, dy = np.subtract(to_xy, from_xy)
    norm = math.hypot(dx, dy)
    if norm == 0:
        return 0.0, distance_pt
    return distance_pt * dx / norm, distance_pt * dy / norm

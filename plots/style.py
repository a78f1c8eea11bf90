"""Colours, sizes and the look shared by every picture."""

from types import MappingProxyType

COLOURS = MappingProxyType(
    {
        "sea": "#cfe2f3",
        "land": "#f2efe6",
        "coast": "#9c9481",
        "ground": "#c9b99a",
        "territorial_sea": "#b7d3ea",
        "territorial_sea_violated": "#e9c6c6",
        "hatch": "#7d95ad",
        "state_border": "#5b5b5b",
        "state_label": "#6f6a5e",
        "place": "#4f4b43",
        "volume_edge": "#b2182b",
        "volume_fill": "#f4a582",
        "other_volume": "#7b3294",
        "track_outside": "#2156a5",
        "track_inside": "#d7191c",
        "track_near": "#e66101",
        "fix": "#1a1a1a",
        "deepest": "#d7191c",
        "depth_line": "#7a0a0c",
        "banner": "#b30000",
        "footer": "#555555",
    }
)
"""Named colours: sea and land, the violated volume in red, the track blue outside, red inside, orange near."""

DPI = 150
"""Resolution of raster output, dots per inch."""

FIGURE_SIZE_IN = (12.0, 8.5)
"""Width and height of a map, inches."""

ILLUSTRATIVE_TEXT = "ILLUSTRATIVE SCENARIO \u2014 not recorded data"
"""The banner on every picture drawn from the built-in scenario."""

BOX_STYLE = MappingProxyType({"boxstyle": "round,pad=0.3", "facecolor": "white", "edgecolor": "#888888", "alpha": 0.9})
"""The white rounded box behind labels on a map."""

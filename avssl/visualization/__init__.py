"""Figures: heat maps over frames, image grids, and writing them as PNG or MP4."""

from .heatmap_overlay import jet_colormap, normalize_map, overlay_heatmap, tile_images
from .image_writers import write_png, write_video

__all__ = [
    'jet_colormap',
    'normalize_map',
    'overlay_heatmap',
    'tile_images',
    'write_png',
    'write_video',
]

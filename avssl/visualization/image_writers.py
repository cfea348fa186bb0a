"""Write RGB images as a PNG file or as the frames of an MP4 video."""

from __future__ import annotations

import os
from collections.abc import Sequence

import av
import numpy as np
from PIL import Image


def write_png(path: str | os.PathLike[str], image: np.ndarray) -> None:
    """Save an ``(H, W, 3)`` uint8 RGB image as PNG (parent folders are created).

    Args:
        path (str | os.PathLike[str]): Output file.
        image (np.ndarray): The image.
    """
    os.makedirs(os.path.dirname(os.path.abspath(os.fspath(path))), exist_ok=True)
    Image.fromarray(np.ascontiguousarray(image, dtype=np.uint8)).save(path, 'PNG')


def write_video(path: str | os.PathLike[str], frames: Sequence[np.ndarray], fps: float) -> None:
    """Encode RGB frames as an H.264 MP4 (PyAV); odd sizes are padded by one black pixel.

    Args:
        path (str | os.PathLike[str]): Output file.
        frames (Sequence[np.ndarray]): ``(H, W, 3)`` uint8 frames of one size.
        fps (float): Frame rate.

    Raises:
        ValueError: If there is no frame.
    """
    if not frames:
        raise ValueError('no frame to write')
    height, width = frames[0].shape[:2]
    even_h, even_w = height + height % 2, width + width % 2
    os.makedirs(os.path.dirname(os.path.abspath(os.fspath(path))), exist_ok=True)
    with av.open(os.fspath(path), mode='w', format='mp4') as container:
        stream = container.add_stream('libx264', rate=max(1, int(round(fps))))
        stream.width, stream.height, stream.pix_fmt = even_w, even_h, 'yuv420p'
        for frame in frames:
            canvas = np.zeros((even_h, even_w, 3), dtype=np.uint8)
            canvas[:height, :width] = frame
            container.mux(stream.encode(av.VideoFrame.from_ndarray(canvas, format='rgb24')))
        container.mux(stream.encode(None))

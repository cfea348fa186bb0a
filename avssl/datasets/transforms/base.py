"""Base class of avssl transforms: a clear error for missing required keys."""

from __future__ import annotations

from typing import Any

from mmcv.transforms import BaseTransform


class AVTransform(BaseTransform):
    """``BaseTransform`` with :meth:`require`, which names the missing keys and the file."""

    def require(self, results: dict[str, Any], *keys: str) -> None:
        """Raise ``KeyError`` naming the keys of ``keys`` missing from ``results``.

        Args:
            results (dict): The pipeline's result dict.
            *keys (str): Keys this transform needs.
        """
        missing = [k for k in keys if k not in results]
        if missing:
            raise KeyError(
                f'{type(self).__name__} needs the keys {missing} (put the transform that adds '
                f'them earlier in the pipeline); file: {results.get("filename", "<unknown>")}'
            )

"""One clip listed by a data set's official annotation, and why a clip was left out."""

from __future__ import annotations

from dataclasses import dataclass

#: Reason of a clip whose class the class rule removed (UCF-51's audio rule).
CLASS_DROPPED = 'class_dropped'
#: Reason of a clip whose class is not in a ``--classes-file`` selection.
CLASS_NOT_SELECTED = 'class_not_selected'


@dataclass(frozen=True)
class Clip:
    """A clip of the official annotation.

    Attributes:
        path (str): Path of the video relative to the video root (``/`` separated).
        class_name (str): The annotated class.
        split (str): ``'train'`` or ``'test'`` (the split the avssl lists derive from: the
            official test split, or Kinetics' validation split, becomes ``'test'``).
    """

    path: str
    class_name: str
    split: str

    def dropped(self, reason: str) -> dict[str, str]:
        """The report entry of this clip left out for ``reason``.

        Args:
            reason (str): ``'no_audio'``, ``'missing'``, ``'unreadable: <error>'``,
                ``'class_dropped'``, ``'class_not_selected'``, ...

        Returns:
            dict[str, str]: ``path``, ``split``, ``class`` and ``reason``.
        """
        return {'path': self.path, 'split': self.split, 'class': self.class_name, 'reason': reason}

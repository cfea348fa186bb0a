"""A module's own checkpointable random generator.

* :class:`ModuleGenerator`: a private CPU ``torch.Generator`` seeded from an explicit seed or
  lazily from ``torch.initial_seed()``, whose state can be saved and restored.
* :class:`SeededModule`: an ``nn.Module`` that draws from a :class:`ModuleGenerator` and keeps
  its state in the module's state dict (the mixers and the temporal warp derive from it).
"""

from __future__ import annotations

import zlib
from typing import Any

import torch
import torch.nn as nn


class ModuleGenerator:
    """A module's own CPU ``torch.Generator`` whose state can be saved and restored.

    With ``seed=None`` the generator is seeded at first use from ``torch.initial_seed()`` (the
    seed mmengine's runner sets) plus a salt derived from ``salt`` (the owning class name), so
    that two modules seeded this way do not draw the same stream. All draws happen on the CPU.

    Args:
        seed (int | None): Explicit seed, or None to seed lazily from ``torch.initial_seed()``.
        salt (str): Distinguishes the streams of lazily seeded modules. Defaults to ``''``.
    """

    def __init__(self, seed: int | None = None, salt: str = '') -> None:
        if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
            raise TypeError(f'seed must be an int or None, got {seed!r}')
        self.seed = seed
        self.salt = salt
        self._generator: torch.Generator | None = None

    @property
    def initialised(self) -> bool:
        """bool: Whether the generator has been seeded (explicitly, lazily or from a state)."""
        return self._generator is not None

    def get(self) -> torch.Generator:
        """Return the generator, seeding it first if this is its first use.

        Returns:
            torch.Generator: The CPU generator to draw from.
        """
        if self._generator is None:
            if self.seed is not None:
                seed = self.seed
            else:
                seed = torch.initial_seed() + zlib.crc32(self.salt.encode())
            self._generator = torch.Generator(device='cpu')
            self._generator.manual_seed(seed % (2**63))
        return self._generator

    def state_dict(self) -> dict[str, Any]:
        """Return the generator's state for a checkpoint.

        Returns:
            dict[str, Any]: ``{'seed': int | None, 'rng_state': ByteTensor | None}``;
            ``rng_state`` is None while the generator has not been used (it will then seed
            lazily after a restore too).
        """
        state = self._generator.get_state() if self._generator is not None else None
        return {'seed': self.seed, 'rng_state': state}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore a state written by :meth:`state_dict`; the next draws repeat the saved ones.

        Args:
            state (dict[str, Any]): ``{'seed': ..., 'rng_state': ...}``.

        Raises:
            ValueError: If ``state`` lacks the ``rng_state`` key.
        """
        if not isinstance(state, dict) or 'rng_state' not in state:
            raise ValueError(
                f'expected a generator state {{"seed": ..., "rng_state": ...}}, got {state!r}'
            )
        self.seed = state.get('seed', self.seed)
        if state['rng_state'] is None:
            self._generator = None
            return
        self._generator = torch.Generator(device='cpu')
        self._generator.set_state(state['rng_state'].to(torch.uint8).cpu())


class SeededModule(nn.Module):
    """An ``nn.Module`` that draws from its own :class:`ModuleGenerator`, saved in its state.

    The generator state travels in the module's state dict (``get_extra_state`` /
    ``set_extra_state``), so a resumed run repeats the draws of an uninterrupted one. Mix
    modules and the temporal warp derive from it.

    Args:
        seed (int | None): Explicit seed, or None to seed lazily from ``torch.initial_seed()``
            salted with the class name.
    """

    def __init__(self, seed: int | None = None) -> None:
        super().__init__()
        self._rng = ModuleGenerator(seed, salt=type(self).__name__)

    @property
    def generator(self) -> torch.Generator:
        """torch.Generator: The module's CPU generator (seeded on first access)."""
        return self._rng.get()

    def get_extra_state(self) -> dict[str, Any]:
        """Return the generator state saved in the module's state dict.

        Returns:
            dict[str, Any]: ``{'seed': int | None, 'rng_state': ByteTensor | None}``.
        """
        return self._rng.state_dict()

    def set_extra_state(self, state: dict[str, Any]) -> None:
        """Restore the generator state from the module's state dict.

        Args:
            state (dict[str, Any]): What :meth:`get_extra_state` returned.
        """
        self._rng.load_state_dict(state)

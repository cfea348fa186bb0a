"""A module's own checkpointable random generator, with a distinct stream on every DDP rank.

* :func:`rank_seed`: the seed of a process's stream, given the run's seed and the process rank;
* :class:`ModuleGenerator`: a private CPU ``torch.Generator`` seeded from an explicit seed or
  lazily from ``torch.initial_seed()``, folded with the rank, whose state can be saved and
  restored;
* :class:`SeededModule`: an ``nn.Module`` that draws from a :class:`ModuleGenerator` and keeps
  its state in the module's state dict, packed into a tensor (:func:`state_to_tensor`) as DDP
  needs (the mixers and the temporal warp derive from it);
* :func:`generator_states` / :func:`load_generator_states`: the states of all such modules of a
  model, by module name (what ``RandomStateHook`` saves for every rank).

Ranks and checkpoints: under DDP every rank mixes its own part of the batch, so every rank must
draw its own masks, lambdas, partners and warps. A generator's seed is therefore folded with
``mmengine.dist.get_rank()`` at first use (rank 0 keeps the unfolded seed, so one-process runs
draw what they always drew). mmengine writes checkpoints on rank 0 only, so the model's state
dict holds rank 0's generator states; loading such a state on another rank does not copy it
(every rank would then draw rank 0's stream again) but reseeds the generator from a digest of
the saved state folded with the loading rank: deterministic and distinct per rank, but not the
stream that rank had. Exact resume on every rank comes from ``RandomStateHook``, which gathers
all ranks' generator states whenever a checkpoint is saved and, on resume, gives every rank its
own back before the first resumed iteration.
"""

from __future__ import annotations

import hashlib
import zlib
from typing import Any

import torch
import torch.nn as nn
from mmengine.dist import get_rank

_MASK64 = 2**64 - 1


def _splitmix64(x: int) -> int:
    """SplitMix64's output function: a bijective, well-mixed hash of a 64-bit integer."""
    x = (x + 0x9E3779B97F4A7C15) & _MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK64
    return x ^ (x >> 31)


def rank_seed(seed: int, rank: int) -> int:
    """The seed of process ``rank``'s stream in a run seeded with ``seed``.

    Rank 0 keeps ``seed`` (reduced to ``[0, 2**63)``), so a one-process run is unchanged; rank
    ``r > 0`` gets ``splitmix64(splitmix64(seed) ^ r)`` reduced the same way, a seed unrelated
    to the other ranks' even when ``seed`` itself already differs by the rank (mmengine's
    ``diff_rank_seed``).

    Args:
        seed (int): The run's (or module's) seed; any integer.
        rank (int): Process rank, >= 0.

    Returns:
        int: A seed in ``[0, 2**63)`` for ``torch.Generator.manual_seed``.

    Raises:
        ValueError: If ``rank`` is negative.
    """
    if rank < 0:
        raise ValueError(f'rank must be >= 0, got {rank}')
    if rank == 0:
        return seed % 2**63
    return _splitmix64(_splitmix64(seed & _MASK64) ^ rank) % 2**63


def _state_digest(state: torch.Tensor) -> int:
    """A 64-bit digest of a generator state (a ByteTensor)."""
    data = state.to(torch.uint8).cpu().contiguous().numpy().tobytes()
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), 'little')


class ModuleGenerator:
    """A module's own CPU ``torch.Generator`` whose state can be saved and restored.

    With ``seed=None`` the generator is seeded at first use from ``torch.initial_seed()`` (the
    seed mmengine's runner sets) plus a salt derived from ``salt`` (the owning class name), so
    that two modules seeded this way do not draw the same stream. Either seed is folded with the
    process rank at first use (:func:`rank_seed`), so DDP ranks draw different streams and rank
    0 draws the unfolded one. All draws happen on the CPU.

    Args:
        seed (int | None): Explicit seed, or None to seed lazily from ``torch.initial_seed()``.
        salt (str): Distinguishes the streams of lazily seeded modules. Defaults to ``''``.
    """

    def __init__(self, seed: int | None = None, salt: str = '') -> None:
        if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
            raise TypeError(f'seed must be an int or None, got {seed!r}')
        if seed is not None and not -(2**63) <= seed < 2**63:
            raise ValueError(f'seed must fit in 64 signed bits, got {seed}')
        self.seed = seed
        self.salt = salt
        self._generator: torch.Generator | None = None
        #: Rank whose stream the generator holds; None while it is not seeded.
        self._rank: int | None = None

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
            rank = get_rank()
            self._generator = torch.Generator(device='cpu')
            self._generator.manual_seed(rank_seed(seed, rank))
            self._rank = rank
        return self._generator

    def state_dict(self) -> dict[str, Any]:
        """Return the generator's state for a checkpoint.

        Returns:
            dict[str, Any]: ``{'seed': int | None, 'rng_state': ByteTensor | None,
            'rank': int | None}``; ``rng_state`` (and ``rank``, the rank whose stream it is) is
            None while the generator has not been used (it will then seed lazily after a
            restore too).
        """
        if self._generator is None:
            return {'seed': self.seed, 'rng_state': None, 'rank': None}
        return {'seed': self.seed, 'rng_state': self._generator.get_state(), 'rank': self._rank}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore a state written by :meth:`state_dict`.

        A state saved by this process's rank is restored exactly: the next draws repeat the
        saved ones. A state saved by another rank (the model state dict of a checkpoint holds
        rank 0's) reseeds the generator with :func:`rank_seed` of a digest of the saved state
        and this rank, so that the ranks keep distinct, reproducible streams; ``RandomStateHook``
        then puts back this rank's own saved state on resume. States without ``rank`` (older
        checkpoints) count as rank 0's.

        Args:
            state (dict[str, Any]): ``{'seed': ..., 'rng_state': ..., 'rank': ...}``.

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
            self._rank = None
            return
        saved = state['rng_state'].to(torch.uint8).cpu()
        saved_rank = state.get('rank')
        saved_rank = 0 if saved_rank is None else int(saved_rank)
        rank = get_rank()
        self._generator = torch.Generator(device='cpu')
        if saved_rank == rank:
            self._generator.set_state(saved)
        else:
            self._generator.manual_seed(rank_seed(_state_digest(saved), rank))
        self._rank = rank


#: Version of the tensor form of a generator state (:func:`state_to_tensor`).
STATE_TENSOR_FORMAT = 1
_HEADER_BYTES = 4 * 8  # four int64: format, seed, flags, rank
_HAS_SEED, _HAS_RNG_STATE, _HAS_RANK = 1, 2, 4


def state_to_tensor(state: dict[str, Any]) -> torch.Tensor:
    """Pack a :meth:`ModuleGenerator.state_dict` into one uint8 tensor.

    A module's extra state must be a tensor for DDP: at train start mmengine's runner
    broadcasts every value of the model's state dict from rank 0 (``Runner._init_model_weights``)
    and fails on anything else. The broadcast only overwrites this temporary tensor, never the
    generator. Layout: four int64 (format, seed, flags, rank) as bytes, then the generator's
    ByteTensor state when there is one.

    Args:
        state (dict[str, Any]): ``{'seed': ..., 'rng_state': ..., 'rank': ...}``.

    Returns:
        Tensor: 1-D uint8.
    """
    seed, rng_state, rank = state.get('seed'), state.get('rng_state'), state.get('rank')
    flags = (
        (_HAS_SEED if seed is not None else 0)
        | (_HAS_RNG_STATE if rng_state is not None else 0)
        | (_HAS_RANK if rank is not None else 0)
    )
    header = torch.tensor(
        [STATE_TENSOR_FORMAT, seed or 0, flags, rank or 0], dtype=torch.int64
    ).view(torch.uint8)
    if rng_state is None:
        return header
    return torch.cat([header, rng_state.to(torch.uint8).cpu().flatten()])


def state_from_tensor(data: torch.Tensor) -> dict[str, Any]:
    """Unpack what :func:`state_to_tensor` packed.

    Args:
        data (Tensor): 1-D uint8.

    Returns:
        dict[str, Any]: ``{'seed': int | None, 'rng_state': ByteTensor | None,
        'rank': int | None}``.

    Raises:
        ValueError: If ``data`` is not a generator state of a known format.
    """
    data = data.detach().cpu()
    if data.dtype != torch.uint8 or data.dim() != 1 or data.numel() < _HEADER_BYTES:
        raise ValueError(f'not a generator state tensor: {data.dtype} of shape {tuple(data.shape)}')
    fmt, seed, flags, rank = data[:_HEADER_BYTES].clone().view(torch.int64).tolist()
    if fmt != STATE_TENSOR_FORMAT:
        raise ValueError(f'unknown generator state format {fmt}')
    has_state = bool(flags & _HAS_RNG_STATE)
    if has_state != (data.numel() > _HEADER_BYTES):
        raise ValueError('generator state tensor: the flags and the length disagree')
    return {
        'seed': seed if flags & _HAS_SEED else None,
        'rng_state': data[_HEADER_BYTES:].clone() if has_state else None,
        'rank': rank if flags & _HAS_RANK else None,
    }


class SeededModule(nn.Module):
    """An ``nn.Module`` that draws from its own :class:`ModuleGenerator`, saved in its state.

    The generator state travels in the module's state dict (``get_extra_state`` /
    ``set_extra_state``), so a resumed run repeats the draws of an uninterrupted one (on every
    DDP rank with ``RandomStateHook``, see the module doc). Every rank draws its own stream.
    Mix modules and the temporal warp derive from it.

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

    def get_extra_state(self) -> torch.Tensor:
        """Return the generator state saved in the module's state dict.

        Returns:
            Tensor: :meth:`ModuleGenerator.state_dict` packed by :func:`state_to_tensor`.
        """
        return state_to_tensor(self._rng.state_dict())

    def set_extra_state(self, state: torch.Tensor | dict[str, Any]) -> None:
        """Restore the generator state from the module's state dict.

        Args:
            state (Tensor | dict[str, Any]): What :meth:`get_extra_state` returned, or the
                plain dict that older checkpoints hold.
        """
        if isinstance(state, torch.Tensor):
            state = state_from_tensor(state)
        self._rng.load_state_dict(state)


def _unwrap(model: nn.Module) -> nn.Module:
    """The model inside a DDP-style wrapper (its ``module``), or the model itself."""
    inner = getattr(model, 'module', None)
    return inner if isinstance(inner, nn.Module) else model


def generator_states(model: nn.Module) -> dict[str, dict[str, Any]]:
    """The generator state of every :class:`SeededModule` in ``model``, by module name.

    Args:
        model (nn.Module): The model, or a DDP-style wrapper of it (names are those of the
            wrapped model, so that wrapped and bare runs agree).

    Returns:
        dict[str, dict[str, Any]]: ``{name: ModuleGenerator.state_dict()}``.
    """
    return {
        name: module._rng.state_dict()
        for name, module in _unwrap(model).named_modules()
        if isinstance(module, SeededModule)
    }


def load_generator_states(model: nn.Module, states: dict[str, dict[str, Any]]) -> list[str]:
    """Restore what :func:`generator_states` returned into the modules of the same names.

    Args:
        model (nn.Module): The model, or a DDP-style wrapper of it.
        states (dict[str, dict[str, Any]]): ``{name: state}``.

    Returns:
        list[str]: Names of the model's seeded modules that ``states`` had no entry for (left
        as they were).
    """
    missing = []
    for name, module in _unwrap(model).named_modules():
        if not isinstance(module, SeededModule):
            continue
        if name in states:
            module._rng.load_state_dict(states[name])
        else:
            missing.append(name)
    return missing

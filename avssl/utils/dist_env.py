"""Distributed start-up: a CPU process group before mmengine tries CUDA-only set-up, and the
launcher's rank before any group exists."""

from __future__ import annotations

import os
from datetime import timedelta

import torch
import torch.distributed as dist


def init_cpu_distributed(launcher: str, timeout_s: int = 1800) -> bool:
    """Initialise a gloo process group when launched with torchrun on a machine without CUDA.

    mmengine 0.10.7's ``init_dist`` calls ``torch.cuda.set_device`` for the ``pytorch``
    launcher, which fails on a CPU-only machine. Starting the group here first makes
    ``Runner.setup_env`` skip its own initialisation. With CUDA available nothing is done, so
    GPU runs keep mmengine's NCCL path.

    Args:
        launcher (str): ``'none'``, ``'pytorch'``, ``'slurm'`` or ``'mpi'``.
        timeout_s (int): Collective timeout in seconds. Defaults to 1800.

    Returns:
        bool: True if this call created the process group.

    Raises:
        RuntimeError: If the launcher is ``pytorch`` but torchrun's variables are missing.
    """
    if launcher != 'pytorch' or torch.cuda.is_available() or dist.is_initialized():
        return False
    missing = [
        k for k in ('RANK', 'WORLD_SIZE', 'MASTER_ADDR', 'MASTER_PORT') if k not in os.environ
    ]
    if missing:
        raise RuntimeError(
            f'--launcher pytorch needs the environment variables {missing}; start the job with '
            'tools/dist_train.sh (torchrun) or use --launcher none'
        )
    dist.init_process_group(backend='gloo', timeout=timedelta(seconds=timeout_s))
    return True


#: Environment variables that carry a process's global rank, per ``--launcher``.
RANK_VARIABLES = {'pytorch': 'RANK', 'slurm': 'SLURM_PROCID', 'mpi': 'OMPI_COMM_WORLD_RANK'}


def launcher_rank(launcher: str) -> int:
    """This process's global rank as its launcher set it, before any process group exists.

    Args:
        launcher (str): ``'none'``, ``'pytorch'``, ``'slurm'`` or ``'mpi'``.

    Returns:
        int: The rank (0 for ``'none'`` or when the launcher's variable is unset).
    """
    name = RANK_VARIABLES.get(launcher)
    return int(os.environ.get(name, '0')) if name else 0

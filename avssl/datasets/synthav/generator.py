"""Generate a SynthAV folder (atomically, in parallel) and make sure one exists before training."""

from __future__ import annotations

import fcntl
import json
import math
import multiprocessing as mp
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import torch
from mmengine.dist import get_rank
from mmengine.logging import print_log
from tqdm import tqdm

from ..audio_features import DEFAULT_NUM_MEL_BINS
from ..splits import Item, split_kshot, split_train_val_test, write_list
from .classes import build_classes
from .clip import ClipResult, clip_rel_path, make_clip
from .config import SynthAVConfig

#: Marker written last; its presence means the folder is complete.
COMPLETE_MARKER = '.complete'

_WORKER_STATE: dict[str, Any] = {}


def _init_worker(cfg: SynthAVConfig, root: str) -> None:
    # One intra-op thread per worker: the workers already use every core, and fixed threading
    # keeps the feature sums bit-identical however the clips are spread over processes.
    torch.set_num_threads(1)
    _WORKER_STATE['cfg'] = cfg
    _WORKER_STATE['root'] = root


def _work(clip_index: int) -> ClipResult:
    return make_clip(_WORKER_STATE['cfg'], clip_index, _WORKER_STATE['root'])


def _run_clips(cfg: SynthAVConfig, root: Path, workers: int) -> Iterator[ClipResult]:
    """Yield the results of all clips in clip-index order."""
    indices = range(cfg.num_classes * cfg.clips_per_class)
    if workers <= 1:
        threads = torch.get_num_threads()
        _init_worker(cfg, str(root))
        try:
            yield from map(_work, indices)
        finally:
            torch.set_num_threads(threads)
        return
    method = 'fork' if 'fork' in mp.get_all_start_methods() else 'spawn'
    ctx = mp.get_context(method)
    with ctx.Pool(workers, initializer=_init_worker, initargs=(cfg, str(root))) as pool:
        yield from pool.imap(_work, indices, chunksize=4)


def _check_target(out: Path, overwrite: bool) -> None:
    if out.exists() and not overwrite:
        if not out.is_dir() or any(out.iterdir()):
            raise FileExistsError(
                f'{out} exists and is not an empty folder; pass overwrite=True (CLI: --overwrite) '
                'to replace it'
            )


def _plan_splits(cfg: SynthAVConfig) -> dict[str, list[Item]]:
    # The splits depend only on the file names, so they are fixed (and checked) before any clip
    # is rendered: a configuration with too few training clips per class fails at once.
    items = [clip_rel_path(cfg, i) for i in range(cfg.num_classes * cfg.clips_per_class)]
    names = [c.name for c in build_classes(cfg.num_classes, cfg.class_offset)]
    train, val, test = split_train_val_test(items, cfg.val_fraction, cfg.test_fraction, cfg.seed)
    lists = {'train': train, 'val': val, 'test': test}
    for k in sorted(cfg.shots):
        labeled, unlabeled = split_kshot(train, k, cfg.seed, class_names=names)
        lists[f'train_labeled_{k}shot'] = labeled
        lists[f'train_unlabeled_{k}shot'] = unlabeled
    return lists


def _place(tmp: Path, out: Path, overwrite: bool) -> None:
    # Move the finished temp folder to ``out``. The target is checked again because another
    # process may have filled it meanwhile; an existing ``out`` is swapped out, then deleted.
    _check_target(out, overwrite)
    if out.is_dir() and not out.is_symlink() and not any(out.iterdir()):
        out.rmdir()
    elif out.exists() or out.is_symlink():
        trash = out.parent / f'.{out.name}.old-{os.getpid()}'
        os.replace(out, trash)
        os.replace(tmp, out)
        if trash.is_dir() and not trash.is_symlink():
            shutil.rmtree(trash)
        else:
            trash.unlink()
        return
    os.replace(tmp, out)


def generate_synthav(
    out_dir: str | Path,
    *,
    num_classes: int = 10,
    clips_per_class: int = 100,
    seed: int = 0,
    num_distractors: int = 2,
    object_area: tuple[float, float] = (0.25, 0.35),
    distractor_motion: bool = True,
    distractor_pulse: bool = True,
    size: int = 112,
    duration: float = 3.0,
    fps: int = 25,
    sample_rate: int = 16000,
    val_fraction: float = 0.1,
    test_fraction: float = 0.3,
    shots: tuple[int, ...] = (1, 2, 3, 5),
    speed: tuple[float, float] = (0.03, 0.1),
    snr_db: tuple[float, float] = (5.0, 20.0),
    max_occlusion: float = 0.5,
    class_offset: int = 0,
    workers: int = 2,
    progress: bool = True,
    overwrite: bool = False,
) -> dict[str, Any]:
    """Generate a SynthAV data set folder.

    The folder is built in a hidden sibling temp folder, ``.complete`` is written last and the
    temp folder is then renamed to ``out_dir``, so ``out_dir`` is either absent/untouched or
    complete. The content (every list file, ``stats.json``, ``boxes.json`` and the videos)
    depends only on the content arguments (all but ``out_dir``, ``workers``, ``progress``,
    ``overwrite``).

    Args:
        out_dir (str | Path): Folder to create.
        num_classes (int): Number of classes. Defaults to 10.
        clips_per_class (int): Clips per class. Defaults to 100.
        seed (int): Master seed (>= 0). Defaults to 0.
        num_distractors (int): Silent distractors per clip. Defaults to 2.
        object_area (tuple[float, float]): Box area range as a fraction of the frame.
            Defaults to ``(0.25, 0.35)``.
        distractor_motion (bool): Distractors move. Defaults to True.
        distractor_pulse (bool): Distractors pulse. Defaults to True.
        size (int): Frame side in pixels. Defaults to 112.
        duration (float): Clip length in seconds. Defaults to 3.0.
        fps (int): Frame rate. Defaults to 25.
        sample_rate (int): Audio sample rate in Hz. Defaults to 16000.
        val_fraction (float): Per-class fraction of clips in val. Defaults to 0.1.
        test_fraction (float): Per-class fraction of clips in test. Defaults to 0.3.
        shots (tuple[int, ...]): ``k`` values of the k-shot lists. Defaults to ``(1, 2, 3, 5)``.
        speed (tuple[float, float]): Object speed range in frame sizes per second.
            Defaults to ``(0.03, 0.1)``.
        snr_db (tuple[float, float]): Audio SNR range in dB. Defaults to ``(5, 20)``.
        max_occlusion (float): Largest hidden fraction of any object's pixels. Defaults to 0.5.
        class_offset (int): First universe class of the set (a multiple of 2); 10 or more
            gives a set that shares no class with the default one. Defaults to 0.
        workers (int): Worker processes (<= 1 runs in this process). Defaults to 2.
        progress (bool): Show a tqdm progress bar. Defaults to True.
        overwrite (bool): Replace an existing non-empty ``out_dir``. Defaults to False.

    Returns:
        dict[str, Any]: ``out_dir``, ``counts`` (as in ``stats.json``), ``seconds`` (wall
        time), ``num_bytes`` (videos), ``occlusion_violations`` (clips where rejection sampling
        could not meet ``max_occlusion``) and ``audio_mean``/``audio_std``.

    Raises:
        FileExistsError: If ``out_dir`` exists, is not an empty folder and ``overwrite`` is off.
        ValueError: If the configuration is invalid (e.g. too few training clips per class for
            the largest ``k``-shot split, or more distractors than other families).
    """
    start = time.perf_counter()
    cfg = SynthAVConfig(
        num_classes=num_classes,
        clips_per_class=clips_per_class,
        seed=seed,
        num_distractors=num_distractors,
        object_area=object_area,
        distractor_motion=distractor_motion,
        distractor_pulse=distractor_pulse,
        size=size,
        duration=duration,
        fps=fps,
        sample_rate=sample_rate,
        val_fraction=val_fraction,
        test_fraction=test_fraction,
        shots=shots,
        speed=speed,
        snr_db=snr_db,
        max_occlusion=max_occlusion,
        class_offset=class_offset,
    )
    out = Path(out_dir).absolute()
    _check_target(out, overwrite)
    lists = _plan_splits(cfg)
    classes = build_classes(cfg.num_classes, cfg.class_offset)

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f'.{out.name}.tmp-{os.getpid()}'
    if tmp.exists():
        shutil.rmtree(tmp)
    try:
        for spec in classes:
            (tmp / 'videos' / spec.name).mkdir(parents=True)
        total = cfg.num_classes * cfg.clips_per_class
        train_paths = {rel for rel, _ in lists['train']}
        boxes: dict[str, Any] = {}
        sums = [0.0, 0.0, 0]
        num_bytes = violations = 0
        with closing(_run_clips(cfg, tmp, workers)) as results:
            bar = tqdm(results, total=total, desc='SynthAV', unit='clip', disable=not progress)
            for res in bar:
                boxes[res.rel_path] = {'width': cfg.size, 'height': cfg.size, 'boxes': res.boxes}
                if res.rel_path in train_paths:
                    sums[0] += res.fbank_sum
                    sums[1] += res.fbank_sumsq
                    sums[2] += res.fbank_count
                num_bytes += res.num_bytes
                violations += res.occlusion > cfg.max_occlusion
        mean = sums[0] / sums[2]
        std = math.sqrt(max(sums[1] / sums[2] - mean * mean, 0.0))

        (tmp / 'classes.txt').write_text(''.join(f'{c.name}\n' for c in classes))
        for name, items in lists.items():
            write_list(tmp / f'{name}.txt', items)
        counts = {'classes': cfg.num_classes, **{k: len(v) for k, v in lists.items()}}
        stats = {
            'audio_mean': round(mean, 6),
            'audio_std': round(std, 6),
            'num_mel_bins': DEFAULT_NUM_MEL_BINS,
            'sample_rate': cfg.sample_rate,
            'counts': counts,
            'generator': cfg.to_dict(),
        }
        (tmp / 'stats.json').write_text(json.dumps(stats, indent=2) + '\n')
        (tmp / 'boxes.json').write_text(json.dumps(boxes, sort_keys=True) + '\n')
        (tmp / COMPLETE_MARKER).write_text('complete\n')
        _place(tmp, out, overwrite)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return {
        'out_dir': str(out),
        'counts': counts,
        'seconds': round(time.perf_counter() - start, 2),
        'num_bytes': num_bytes,
        'occlusion_violations': int(violations),
        'audio_mean': stats['audio_mean'],
        'audio_std': stats['audio_std'],
    }


def ensure_synthav(
    out_dir: str | Path,
    *,
    timeout: float = 3600.0,
    poll_interval: float = 2.0,
    **kwargs: Any,
) -> Path:
    """Return ``out_dir`` once it holds a complete SynthAV folder, generating it if needed.

    If ``out_dir/.complete`` exists the path is returned at once (the content is not compared
    with ``kwargs``). Otherwise rank 0 (``mmengine.dist.get_rank()``) takes an exclusive
    ``fcntl`` lock on ``.<name>.lock`` beside ``out_dir`` (so two jobs never generate at once;
    a job that waited finds the folder done), and generates it; other ranks poll for the marker.
    Multi-node jobs need ``out_dir`` on a shared file system.

    Args:
        out_dir (str | Path): The data-set folder.
        timeout (float): Seconds non-zero ranks wait for the marker. Defaults to 3600.
        poll_interval (float): Seconds between polls. Defaults to 2.
        **kwargs: Keyword arguments of :func:`generate_synthav`.

    Returns:
        Path: ``out_dir``.

    Raises:
        TimeoutError: On a non-zero rank if the folder is not complete within ``timeout``.
    """
    out = Path(out_dir)
    marker = out / COMPLETE_MARKER
    if marker.exists():
        return out
    if get_rank() == 0:
        out.absolute().parent.mkdir(parents=True, exist_ok=True)
        lock_path = out.absolute().parent / f'.{out.name}.lock'
        with open(lock_path, 'a') as lock:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            try:
                if not marker.exists():
                    print_log(f'SynthAV: generating {out} ...', logger='current')
                    summary = generate_synthav(out, **kwargs)
                    print_log(
                        f'SynthAV: wrote {summary["counts"]} to {out} in {summary["seconds"]} s',
                        logger='current',
                    )
            finally:
                fcntl.flock(lock.fileno(), fcntl.LOCK_UN)
        return out
    deadline = time.monotonic() + timeout
    while not marker.exists():
        if time.monotonic() > deadline:
            raise TimeoutError(
                f'waited {timeout:.0f} s for rank 0 to generate SynthAV at {out} '
                f'({marker} still missing)'
            )
        time.sleep(poll_interval)
    return out


def existing_is_up_to_date(out_dir: str | Path, content: dict[str, Any]) -> bool:
    """Whether ``out_dir`` is a complete SynthAV folder generated with ``content``.

    Args:
        out_dir (str | Path): The data set folder.
        content (dict): :class:`SynthAVConfig` arguments (content only: no workers, paths).

    Returns:
        bool: False if the folder is absent or incomplete; True if it is complete and its
        ``stats.json`` records the same content arguments and generator version.

    Raises:
        ValueError: The folder is complete but was generated with other arguments (naming
            them), so regenerating needs ``overwrite``.
    """
    out = Path(out_dir)
    if not (out / COMPLETE_MARKER).is_file():
        return False
    stats_path = out / 'stats.json'
    recorded = json.loads(stats_path.read_text(encoding='utf-8')).get('generator', {})
    wanted = SynthAVConfig(**content).to_dict()
    differing = sorted(k for k in set(wanted) | set(recorded) if recorded.get(k) != wanted.get(k))
    if differing:
        details = ', '.join(f'{k}: {recorded.get(k)!r} -> {wanted.get(k)!r}' for k in differing)
        raise ValueError(
            f'{out} holds SynthAV generated with other arguments ({details}); '
            'use --overwrite to regenerate'
        )
    return True

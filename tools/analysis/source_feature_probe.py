"""What do the encoders know about the sounding object? A nearest-class-mean probe of pooled tokens.

``python tools/analysis/source_feature_probe.py CONFIG [--checkpoint CKPT] [--shots 1 5]
[--draws 30] [--eval-splits val test] [--out FEATURES.npz]``

Builds the recognizer of a config whose backbones return all their tokens and which has a
localizer (the ``*_srcpool`` configs), either as it starts (no ``--checkpoint``: the shipped
encoder and localizer files, the student) or from a trained checkpoint or work dir (the model
the config reports, the EMA teacher). For every clip of the train split and the evaluation
splits (test pipeline, one view) it pools the tokens five ways:

* ``a_cls``: the audio class token;
* ``v_cls``: the video class token (what the class-token fusion reads);
* ``v_mean``: every video patch token, averaged;
* ``v_box``: the video patch tokens inside the sounding object's box in each frame (SynthAV's
  ``boxes.json``, each patch weighted by the part of it the box covers): what an oracle
  localizer would pool;
* ``v_loc``: the video patch tokens where the localizer hears the sound
  (:meth:`SourcePoolFusion.source_weights`: each frame's top ``--top-fraction`` patches).

Then, for ``--draws`` random k-shot draws of the train split (seeded; a draw takes k clips of
every class), it classifies the evaluation clips by the nearest class mean (cosine) of the
L2-normalised features, alone and concatenated with ``a_cls``, and prints the mean and std of
the top-1 over the draws as a table. No training: the probe says what the tokens hold, not
what a network trained on them reaches.
"""

from __future__ import annotations

import argparse
import json
import os.path as osp
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from mmengine.config import DictAction
from mmengine.dataset import pseudo_collate

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sync_pool_stats import patch_box_overlap, sampled_frames  # noqa: E402

from avssl.apis import init_recognizer  # noqa: E402
from avssl.models.necks import SourcePoolFusion  # noqa: E402
from avssl.registry import DATASETS  # noqa: E402
from avssl.utils import register_all_modules  # noqa: E402
from avssl.utils.cli import load_config  # noqa: E402

POOLINGS = ('a_cls', 'v_cls', 'v_mean', 'v_box', 'v_loc')
#: The rows of the table: each pooling alone, then each video pooling beside the audio's.
COMBINATIONS: tuple[tuple[str, ...], ...] = (
    ('a_cls',),
    ('v_cls',),
    ('v_mean',),
    ('v_box',),
    ('v_loc',),
    ('a_cls', 'v_cls'),
    ('a_cls', 'v_mean'),
    ('a_cls', 'v_box'),
    ('a_cls', 'v_loc'),
)


def pool_clip(
    video: torch.Tensor, audio: torch.Tensor, box_overlap: np.ndarray, loc_weights: torch.Tensor
) -> dict[str, np.ndarray]:
    """The five poolings of one clip.

    Args:
        video (Tensor): ``(1 + N * T, D)`` video tokens, patch-major.
        audio (Tensor): ``(1 + L, D)`` audio tokens.
        box_overlap (np.ndarray): ``(T, N)`` part of each patch inside the box in each frame.
        loc_weights (Tensor): ``(T, N)`` the localizer pooling's weights (each row sums to 1).
    """
    frames, patches = box_overlap.shape
    grid = video[1:].reshape(patches, frames, -1).float()  # (N, T, D)
    box = torch.as_tensor(box_overlap.T, dtype=grid.dtype)  # (N, T)
    if float(box.sum()) <= 0:
        raise ValueError('the sounding object covers no patch in any sampled frame')
    loc = loc_weights.T.to(grid.dtype)
    return {
        'a_cls': audio[0].float().numpy(),
        'v_cls': video[0].float().numpy(),
        'v_mean': grid.mean(dim=(0, 1)).numpy(),
        'v_box': ((grid * box[..., None]).sum(dim=(0, 1)) / box.sum()).numpy(),
        'v_loc': ((grid * loc[..., None]).sum(dim=(0, 1)) / loc.sum()).numpy(),
    }


def _normalised(features: dict[str, np.ndarray], keys: Sequence[str]) -> np.ndarray:
    parts = [features[k] / np.linalg.norm(features[k], axis=1, keepdims=True) for k in keys]
    return np.concatenate(parts, axis=1)


def draw_shots(labels: np.ndarray, shots: int, draws: int, seed: int) -> list[np.ndarray]:
    """``draws`` index sets of ``shots`` clips per class, from a seeded generator.

    Raises:
        ValueError: If a class has fewer than ``shots`` clips.
    """
    rng = np.random.default_rng(seed)
    classes = np.unique(labels)
    for c in classes:
        if (labels == c).sum() < shots:
            raise ValueError(f'class {c} has {(labels == c).sum()} clips, fewer than {shots}')
    return [
        np.concatenate(
            [rng.choice(np.flatnonzero(labels == c), shots, replace=False) for c in classes]
        )
        for _ in range(draws)
    ]


def ncm_accuracy(
    train: np.ndarray, train_labels: np.ndarray, evaluate: np.ndarray, labels: np.ndarray
) -> float:
    """Top-1 of the nearest class mean (cosine; features already normalised per part)."""
    classes = np.unique(train_labels)
    means = np.stack([train[train_labels == c].mean(axis=0) for c in classes])
    means /= np.linalg.norm(means, axis=1, keepdims=True)
    guess = classes[np.argmax(evaluate @ means.T, axis=1)]
    return float((guess == labels).mean())


def probe_table(
    train: dict[str, np.ndarray],
    evaluate: dict[str, np.ndarray],
    shots: Sequence[int],
    draws: int,
    seed: int = 0,
) -> list[dict]:
    """One row per (shots, combination): mean and std of the top-1 (%) over the draws."""
    rows = []
    for k in shots:
        index_sets = draw_shots(train['label'], k, draws, seed + k)
        for keys in COMBINATIONS:
            x_train, x_eval = _normalised(train, keys), _normalised(evaluate, keys)
            accs = [
                ncm_accuracy(x_train[i], train['label'][i], x_eval, evaluate['label'])
                for i in index_sets
            ]
            rows.append(
                dict(
                    shots=k,
                    features='+'.join(keys),
                    mean=100 * float(np.mean(accs)),
                    std=100 * float(np.std(accs)),
                )
            )
    return rows


def extract(model: torch.nn.Module, network: torch.nn.Module, loader_cfg: dict) -> dict:
    """Every clip's poolings and label, ``{name: (num_clips, ...)}``."""
    neck = network.neck
    if not isinstance(neck, SourcePoolFusion):
        raise TypeError(f'the neck is {type(neck).__name__}; use a *_srcpool config')
    dataset = DATASETS.build(loader_cfg)
    sampler = next(t for t in loader_cfg['pipeline'] if t['type'] == 'SampleFrames')
    root = loader_cfg.get('data_root') or osp.dirname(loader_cfg['ann_file'])
    boxes_path = osp.join(root, 'boxes.json')
    if not osp.isfile(boxes_path):
        raise FileNotFoundError(f'no boxes.json in the data set folder: {boxes_path}')
    with open(boxes_path, encoding='utf-8') as f:
        boxes = json.load(f)
    if len(dataset) == 0:
        raise ValueError(f'{loader_cfg["ann_file"]}: the split is empty')
    out: dict[str, list] = {k: [] for k in (*POOLINGS, 'label')}
    for index in range(len(dataset)):
        info = dataset.get_data_info(index)
        key = osp.relpath(info['filename'], root)
        if key not in boxes:
            raise KeyError(f'{boxes_path} has no entry for {key}')
        data = model.data_preprocessor(pseudo_collate([dataset[index]]), False)
        with torch.no_grad():
            video, audio = network.embed(data['inputs'])
            rows, cols = neck.grid(video)
            maps = model.localization_maps(data['inputs'])
            loc = neck.source_weights(maps, (rows, cols))[0]
        side = int(data['inputs']['imgs'].shape[-1])
        per_frame = boxes[key]['boxes']
        frames = sampled_frames(sampler, len(per_frame))
        overlap = np.stack(
            [patch_box_overlap(per_frame[f], (rows, cols), side // cols) for f in frames]
        )
        for name, value in pool_clip(video[0], audio[0], overlap, loc).items():
            out[name].append(value)
        out['label'].append(int(info['label']))
    return {k: np.stack(v) for k, v in out.items()}


def main(argv: Sequence[str] | None = None) -> int:
    """Extract, probe and print the table (0 on success)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='a *_srcpool config (tokens out, a localizer)')
    parser.add_argument('--checkpoint', help='checkpoint or work dir (default: the start)')
    parser.add_argument('--train-list', default='train.txt', help='the clips the means use')
    parser.add_argument('--eval-splits', nargs='+', default=['val', 'test'])
    parser.add_argument('--shots', nargs='+', type=int, default=[1, 5])
    parser.add_argument('--draws', type=int, default=30)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--top-fraction', type=float, help="override the neck's top_fraction")
    parser.add_argument('--out', help='also save the features (.npz)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    args = parser.parse_args(argv)
    register_all_modules(init_scope=True)
    cfg = load_config(args.config, args.cfg_options)
    model = init_recognizer(cfg, args.checkpoint)
    if args.checkpoint is None:
        model.init_weights()  # the start files, as the Runner loads them
        network = getattr(model, 'student', model)
    else:
        network = getattr(model, 'eval_network', model)
    network.eval()
    if args.top_fraction is not None:
        network.neck.top_fraction = args.top_fraction
    features = {}
    for split in ('train', *args.eval_splits):
        loader = cfg.test_dataloader.dataset.copy()
        loader['ann_file'] = args.train_list if split == 'train' else f'{split}.txt'
        features[split] = extract(model, network, loader)
        print(f'{split}: {len(features[split]["label"])} clips', flush=True)
    evaluate = {
        k: np.concatenate([features[s][k] for s in args.eval_splits]) for k in features['train']
    }
    if args.out:
        np.savez(
            args.out, **{f'{s}__{k}': v for s, part in features.items() for k, v in part.items()}
        )
    rows = probe_table(features['train'], evaluate, args.shots, args.draws, args.seed)
    split_names = ' + '.join(args.eval_splits)
    print(
        f'nearest class mean on {split_names} ({len(evaluate["label"])} clips), '
        f'{args.draws} draws per budget'
    )
    print('| shots | features | top-1 (%) |')
    print('|---|---|---|')
    for row in rows:
        print(f'| {row["shots"]} | {row["features"]} | {row["mean"]:.1f} +- {row["std"]:.1f} |')
    return 0


if __name__ == '__main__':
    raise SystemExit(main())

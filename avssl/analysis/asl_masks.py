"""ASL-guided vs tube token masks on real clips: the maps, the masks and the sounding box.

The diagnostic of the paper's Fig. 3: does the region the ASL-guided mask keeps of clip A
contain its sounding object? For each clip (the config's validation pipeline: one clip, the
centre crop, plus the localizer's 3 s of raw audio), the frozen localizer's map of every frame
(:meth:`AVSemiRecognizer.localization_maps`), the ASL-guided mask the config's mixer draws
from it (a batch of one clip, so clip A is the clip itself) and a tube mask with the same
lambda (``round(lambda * N)`` uniformly drawn token positions, the same in every frame, as
:class:`TubeTokenMix` draws them) are compared with the ground-truth box of each frame (from
the data set's ``boxes.json``). The score of a mask is the share of its kept tokens that lies
inside the box: the mean, over the kept tokens, of the fraction of each token's cell covered
by the box. A uniform mask scores the box's share of the frame on average.
"""

from __future__ import annotations

import copy
import os
import os.path as osp
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from mmengine.dataset import pseudo_collate
from torch import nn

from avssl.datasets.transforms.sounding_box import LoadSoundingBox, read_boxes_file
from avssl.evaluation.metrics.localization_metric import box_mask
from avssl.registry import DATASETS, MODELS

#: Results keys the visualisation pipeline keeps in each data sample's metainfo.
META_KEYS: tuple[str, ...] = (
    'filename',
    'img_shape',
    'original_shape',
    'scale_factor',
    'crop_bbox',
    'flip',
    'frame_inds',
    'total_frames',
)
#: Transforms after which the box mapping of :func:`frame_boxes` holds.
_GEOMETRY_OK = frozenset({'Resize', 'CenterCrop', 'RandomCrop', 'FormatShape', 'PackAVInputs'})


def visualization_pipeline(pipeline: Sequence[Mapping[str, Any]]) -> list[dict]:
    """A validation pipeline with the localizer's audio and the geometry kept in the metainfo.

    Inserts ``LoadLocalizerAudio`` (3 s) after ``LoadAudioWindow`` and makes ``PackAVInputs``
    keep :data:`META_KEYS`.

    Args:
        pipeline (Sequence[Mapping]): The config's ``val_dataloader.dataset.pipeline``.

    Returns:
        list[dict]: The new pipeline.

    Raises:
        ValueError: If it has no ``LoadAudioWindow`` / ``PackAVInputs``, or a transform that
            moves pixels in a way the box mapping does not follow (flips, multi-crops).
    """
    out = [dict(copy.deepcopy(t)) for t in pipeline]
    types = [t.get('type') for t in out]
    if 'LoadAudioWindow' not in types or 'PackAVInputs' not in types:
        raise ValueError(
            'the validation pipeline needs LoadAudioWindow and PackAVInputs (an audio-visual '
            f'pipeline), got {types}'
        )
    after_decode = types.index('LoadAudioWindow')
    unsupported = [t for t in types[after_decode + 1 :] if t not in _GEOMETRY_OK]
    if unsupported:
        raise ValueError(
            f'visualize_masks maps the boxes through Resize and one crop only; the validation '
            f'pipeline also has {unsupported}'
        )
    out.insert(after_decode + 1, dict(type='LoadLocalizerAudio', duration=3.0))
    pack = out[types.index('PackAVInputs') + 1]
    pack['meta_keys'] = tuple(dict.fromkeys(tuple(pack.get('meta_keys', ())) + META_KEYS))
    return out


def frame_boxes(
    entry: Mapping[str, Any], meta: Mapping[str, Any], frame_size: tuple[int, int]
) -> list[np.ndarray]:
    """The ground-truth boxes of every sampled frame, in pixels of the pipeline's output frame.

    Each box of ``boxes.json`` (pixels of an ``entry['width']`` x ``entry['height']`` frame,
    ``x2`` / ``y2`` exclusive) is scaled to the decoded frame, by the pipeline's resize
    (``scale_factor``), shifted by its crop (``crop_bbox``) and clipped to the frame. Frame
    ``t`` uses the box list entry of ``frame_inds[t]`` (mapped proportionally when the video's
    frame count differs from the number of boxes, as ``LoadSoundingBox`` does).

    Args:
        entry (Mapping): The video's ``boxes.json`` entry (``width``, ``height``, ``boxes``).
        meta (Mapping): The data sample's metainfo (:data:`META_KEYS`).
        frame_size (tuple[int, int]): Output frame ``(H, W)``.

    Returns:
        list[np.ndarray]: One ``(K, 4)`` float32 array per frame.

    Raises:
        ValueError: If the clip was flipped.
    """
    if meta.get('flip', False):
        raise ValueError(f'{meta.get("filename")}: flipped clips are not supported')
    per_frame = entry['boxes']
    total = int(meta.get('total_frames', len(per_frame)))
    orig_h, orig_w = meta.get('original_shape', (entry['height'], entry['width']))[:2]
    scale = np.asarray(meta.get('scale_factor', (1.0, 1.0)), dtype=np.float64).reshape(2)
    crop = np.asarray(meta.get('crop_bbox', (0, 0, 0, 0)), dtype=np.float64).reshape(4)
    sx = orig_w / float(entry['width']) * scale[0]
    sy = orig_h / float(entry['height']) * scale[1]
    height, width = frame_size
    out = []
    for frame in np.asarray(meta['frame_inds']).reshape(-1):
        index = int(frame)
        if total != len(per_frame):
            index = int(index * len(per_frame) / max(total, 1))
        index = min(max(index, 0), len(per_frame) - 1)
        box = np.asarray(per_frame[index], dtype=np.float64).reshape(-1, 4)
        box = box * np.array([sx, sy, sx, sy]) - np.array([crop[0], crop[1], crop[0], crop[1]])
        box[:, 0::2] = box[:, 0::2].clip(0, width)
        box[:, 1::2] = box[:, 1::2].clip(0, height)
        out.append(box.astype(np.float32))
    return out


def token_box_cover(
    boxes: Sequence[np.ndarray], frame_size: tuple[int, int], patch: tuple[int, int]
) -> np.ndarray:
    """Fraction of every token's cell that the frame's boxes cover.

    Args:
        boxes (Sequence[np.ndarray]): Per frame ``(K, 4)`` boxes (union).
        frame_size (tuple[int, int]): ``(H, W)``, multiples of the patch size.
        patch (tuple[int, int]): Patch size ``(ph, pw)``.

    Returns:
        np.ndarray: ``(T, N)`` float64 in ``[0, 1]``, tokens in row-major order.
    """
    height, width = frame_size
    ph, pw = patch
    if height % ph or width % pw:
        raise ValueError(f'frame {frame_size} is not a multiple of the patch size {patch}')
    cover = []
    for frame in boxes:
        pixels = box_mask(frame, height, width).astype(np.float64)
        cells = pixels.reshape(height // ph, ph, width // pw, pw).mean(axis=(1, 3))
        cover.append(cells.reshape(-1))
    return np.stack(cover)


def kept_in_box_share(mask: np.ndarray | torch.Tensor, cover: np.ndarray) -> float:
    """Share of the kept tokens inside the box: ``sum(cover[mask]) / sum(mask)``.

    Args:
        mask (np.ndarray | Tensor): ``(T, N)`` bool, True = kept token.
        cover (np.ndarray): ``(T, N)`` from :func:`token_box_cover`.

    Returns:
        float: In ``[0, 1]``; NaN when no token is kept.
    """
    keep = np.asarray(mask.cpu() if isinstance(mask, torch.Tensor) else mask, dtype=bool)
    if keep.shape != cover.shape:
        raise ValueError(f'mask {keep.shape} and cover {cover.shape} differ in shape')
    count = keep.sum()
    return float(cover[keep].sum() / count) if count else float('nan')


def tube_mask_like(
    lam: float, grid: tuple[int, int, int], generator: torch.Generator
) -> torch.Tensor:
    """A tube mask keeping ``round(lam * N)`` uniformly drawn positions in every frame.

    Args:
        lam (float): Share of kept tokens (the ASL mask's lambda).
        grid (tuple[int, int, int]): ``(T, H', W')``.
        generator (torch.Generator): CPU generator of the positions.

    Returns:
        Tensor: ``(T, N)`` bool, the same positions in every frame.
    """
    frames, rows, cols = grid
    tokens = rows * cols
    kept = int(min(max(round(float(lam) * tokens), 0), tokens))
    ranks = torch.rand(tokens, generator=generator).argsort().argsort()
    return (ranks < kept).unsqueeze(0).expand(frames, tokens).clone()


@dataclass
class ClipMasks:
    """Everything drawn and scored for one clip.

    Attributes:
        name (str): The video's file name.
        label (int): Its class index (-1 when unknown).
        frames (np.ndarray): ``(T, H, W, 3)`` uint8 RGB.
        maps (np.ndarray): ``(T, h, w)`` localization maps.
        asl_mask (np.ndarray): ``(T, N)`` bool.
        tube_mask (np.ndarray): ``(T, N)`` bool.
        lam (float): The mixer's lambda.
        grid (tuple[int, int, int]): ``(T, H', W')``.
        patch (tuple[int, int]): Patch size.
        boxes (list[np.ndarray] | None): Per-frame boxes, None without ground truth.
        asl_share (float): Kept-in-box share of the ASL mask (NaN without boxes).
        tube_share (float): The same for the tube mask.
        box_share (float): Mean box cover of all tokens (a uniform mask's expected share).
    """

    name: str
    label: int
    frames: np.ndarray
    maps: np.ndarray
    asl_mask: np.ndarray
    tube_mask: np.ndarray
    lam: float
    grid: tuple[int, int, int]
    patch: tuple[int, int]
    boxes: list[np.ndarray] | None
    asl_share: float
    tube_share: float
    box_share: float


def build_mask_model(model_cfg: Mapping[str, Any], checkpoint: str | None, seed: int) -> nn.Module:
    """The parts of an ASL-guided ``AVSemiRecognizer`` the masks need, on the CPU.

    The networks are built on the ``meta`` device (never run: only the backbone's patch grid
    is read); the localizer (with ``checkpoint``'s weights, frozen), the data preprocessor and
    the mixer (seeded with ``seed``) are real.

    Args:
        model_cfg (Mapping): ``cfg.model``; its ``mix_cfg`` must read localization maps.
        checkpoint (str | None): FNAC weights (an avssl checkpoint or an official release);
            None = ``model.localizer.checkpoint``.
        seed (int): Seed of the mixer's generator.

    Returns:
        nn.Module: The recognizer with a working :meth:`localization_maps` and ``mixer``.

    Raises:
        ValueError: If the config has no localizer (not an ASL-guided mix).
        FileNotFoundError: If the checkpoint does not exist.
    """
    from avssl.models.localizers.fnac_checkpoint import load_fnac_weights

    cfg = copy.deepcopy(dict(model_cfg))
    with torch.device('meta'):
        model = MODELS.build(copy.deepcopy(cfg))
    if getattr(model, 'localizer', None) is None:
        mix = (cfg.get('mix_cfg') or {}).get('type')
        raise ValueError(
            f'visualize_masks needs an ASL-guided config (model.mix_cfg ASLGuidedMix with '
            f'model.localizer); this one mixes with {mix}'
        )
    localizer_cfg = dict(cfg['localizer'])
    path = checkpoint or localizer_cfg.pop('checkpoint', None)
    trainer = localizer_cfg.pop('config', None) or 'configs/fnac_r18_synthav_short.py'
    localizer_cfg.pop('checkpoint', None)
    if not path or not osp.isfile(path):
        raise FileNotFoundError(
            f'FNAC checkpoint {path!r} (--checkpoint or model.localizer.checkpoint) does not '
            f'exist; train one with `python tools/train.py {trainer}`'
        )
    model.localizer = MODELS.build(localizer_cfg)
    load_fnac_weights(model.localizer, path)
    model.localizer.freeze()
    model.data_preprocessor = MODELS.build(copy.deepcopy(cfg['data_preprocessor']))
    model.mixer = MODELS.build(dict(copy.deepcopy(cfg['mix_cfg']), seed=seed))
    return model


class MaskStudy:
    """Draws and scores the masks of clips of a data set, one clip at a time.

    Args:
        model (nn.Module): From :func:`build_mask_model`.
        dataset (Any): A data set whose pipeline is :func:`visualization_pipeline`'s.
        boxes_file (str | None): ``boxes.json`` (absolute or relative to the data set's
            ``data_root``); None or missing = no ground truth.
        seed (int): Seed of the tube masks. Defaults to 0.
    """

    def __init__(
        self, model: nn.Module, dataset: Any, boxes_file: str | None, seed: int = 0
    ) -> None:
        self.model = model
        self.dataset = dataset
        self.data_root = getattr(dataset, 'data_root', '') or ''
        self.boxes: dict[str, dict] = {}
        if boxes_file:
            path = boxes_file if osp.isabs(boxes_file) else osp.join(self.data_root, boxes_file)
            if osp.isfile(path):
                self.boxes = read_boxes_file(path)
        self.tube_generator = torch.Generator().manual_seed(seed)

    def clip(self, index: int) -> ClipMasks:
        """Maps, masks and shares of item ``index``.

        Args:
            index (int): Index into the data set.

        Returns:
            ClipMasks: The clip's results.
        """
        item = self.dataset[index]
        data = self.model.data_preprocessor(pseudo_collate([item]), False)
        clips, sample = data['inputs'], data['data_samples'][0]
        imgs = clips['imgs']
        if imgs.dim() != 6 or imgs.shape[1] != 1:
            raise ValueError(f'expected one view (1, 1, C, T, H, W), got {tuple(imgs.shape)}')
        backbone = self.model.student.backbone
        grid = backbone.grid(imgs.shape)
        patch = tuple(int(p) for p in backbone.patch_size)
        maps = self.model.localization_maps(clips)  # (1, T, h, w)
        mix = self.model.mixer(1, grid, 'cpu', context={'asl_maps': maps})
        lam = float(mix.lam[0])
        asl = mix.mask[0].numpy()
        tube = tube_mask_like(lam, grid, self.tube_generator).numpy()
        raw = item['inputs']['imgs'].reshape(-1, *item['inputs']['imgs'].shape[-4:])[0]
        frames = raw.permute(1, 2, 3, 0).numpy().clip(0, 255).astype(np.uint8)  # (T, H, W, 3)
        meta = sample.metainfo
        filename = meta.get('filename', f'item{index}')
        height, width = frames.shape[1:3]
        boxes = None
        asl_share = tube_share = box_share = float('nan')
        key = LoadSoundingBox.video_key(filename, self.data_root) if self.boxes else None
        if key is not None and key in self.boxes:
            boxes = frame_boxes(self.boxes[key], meta, (height, width))
            cover = token_box_cover(boxes, (height, width), patch)
            asl_share = kept_in_box_share(asl, cover)
            tube_share = kept_in_box_share(tube, cover)
            box_share = float(cover.mean())
        label = int(sample.gt_labels.item.reshape(-1)[0]) if 'gt_labels' in sample else -1
        return ClipMasks(
            name=os.path.basename(filename),
            label=label,
            frames=frames,
            maps=maps[0].numpy(),
            asl_mask=asl,
            tube_mask=tube,
            lam=lam,
            grid=grid,
            patch=patch,
            boxes=boxes,
            asl_share=asl_share,
            tube_share=tube_share,
            box_share=box_share,
        )


def spread_indices(length: int, num: int) -> list[int]:
    """``num`` indices spread evenly over ``range(length)`` (all of them if fewer).

    Args:
        length (int): Data set size.
        num (int): Wanted count, > 0.

    Returns:
        list[int]: Sorted, distinct indices.
    """
    if num <= 0:
        raise ValueError(f'the number of clips must be > 0, got {num}')
    if num >= length:
        return list(range(length))
    return sorted({int(round(i)) for i in np.linspace(0, length - 1, num)})


def build_dataset(cfg: Any, split: str) -> Any:
    """The ``split`` data set of a config with the :func:`visualization_pipeline`.

    Args:
        cfg (Config): The config (its ``val_dataloader`` pipeline is used for every split).
        split (str): ``'test'`` or ``'val'``: whose list file is read.

    Returns:
        Any: The data set.
    """
    dataset_cfg = copy.deepcopy(cfg[f'{split}_dataloader']['dataset'])
    pipeline = visualization_pipeline(cfg['val_dataloader']['dataset']['pipeline'])
    dataset_cfg['pipeline'] = pipeline
    return DATASETS.build(dataset_cfg)


def mask_image(frame: np.ndarray, keep: np.ndarray, patch: tuple[int, int]) -> np.ndarray:
    """The frame where tokens are kept, dimmed towards grey elsewhere.

    Args:
        frame (np.ndarray): ``(H, W, 3)`` uint8.
        keep (np.ndarray): ``(H', W')`` bool token mask.
        patch (tuple[int, int]): Patch size.

    Returns:
        np.ndarray: ``(H, W, 3)`` uint8.
    """
    pixels = np.repeat(np.repeat(keep, patch[0], axis=0), patch[1], axis=1)[..., None]
    dim = 0.25 * frame.astype(np.float64) + 0.75 * 110.0
    return np.where(pixels, frame, np.round(dim)).astype(np.uint8)

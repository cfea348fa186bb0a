"""Semi-supervised recognizer: a student, its EMA teacher, pseudo-labels, mixing, losses."""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import torch
import torch.nn.functional as F
from mmaction.utils import SampleList
from mmengine.logging import MessageHub
from mmengine.model import BaseModel
from mmengine.structures import LabelData

from avssl.registry import MODELS

from ..mixers.asl_guided_mix import MAPS_KEY
from ..mixers.mix_ops import mix_targets, mix_weights

MIX_LOSSES = ('mse_logits', 'soft_ce')
PSEUDO_LABEL_SOURCES = ('teacher', 'oracle')


@MODELS.register_module()
class AVSemiRecognizer(BaseModel):
    """SVFormer-style semi-supervised training of one recognition network.

    Holds a ``student`` and a ``teacher`` built from the same network config (an
    :class:`AVRecognizer`: video only for SVFormer, video + audio for the paper's method). The
    teacher is an exponential moving average of the student, updated by ``EMATeacherHook``;
    it never receives gradients and always runs in eval mode. One training step, for a batch
    of labeled and unlabeled clips (branches ``labeled``, ``weak``, ``strong`` from
    ``MultiBranchDataPreprocessor``):

    1. ``loss_sup``: the student's cross-entropy on the labeled clips (with the network's
       ``aux_head``, also ``loss_aux_video`` / ``loss_aux_audio`` on them);
    2. the teacher's probabilities on the weak views give pseudo-labels; the threshold module
       (``threshold_cfg``) decides which pass; the batch's probabilities and unlabeled indices
       are left in ``threshold_batch`` for ``ThresholdHook`` to update the module;
    3. the strong views are temporally warped (``temporal_warp_cfg``, one warp per batch by
       default) and ``loss_unlabeled`` = ``gamma1`` x cross-entropy of the student on them
       against the hard pseudo-labels, averaged over the batch with the pass mask;
    4. the mix module (``mix_cfg``) pairs every strong clip with a partner and a token mask;
       ``loss_mix`` = ``gamma2`` x the loss between the student's logits on the mixed clips and
       the mixed target ``lam * y_A + (1 - lam) * y_B`` (``y``: one-hot pseudo-label where it
       passed, else the teacher's probabilities), weighted per sample by
       ``lam * pass_A + (1 - lam) * pass_B``; ``mix_loss='mse_logits'`` is SVFormer's mean
       squared error on raw logits, ``'soft_ce'`` a soft cross-entropy;
    5. with ``contrast_cfg`` (audio-visual networks), ``loss_contrast`` = ``gamma3`` x the
       visual-audio contrastive loss (:class:`AVContrastiveLoss`) over the pairs of video and
       audio embeddings (first tokens of the two encoders) of the labeled, strong and mixed
       clips, concatenated into one batch (``docs/method.md`` section 4.4). It is not ramped by
       ``unsup_warmup_iters``: it needs no pseudo-labels.

    Other returned values (``pass_rate``, ``teacher_conf``, ``pseudo_acc``, ``mix_lambda``,
    ``mix_kept``, ``sup_top1``, ``contrast_acc``) are diagnostics that mmengine logs but does
    not add to the loss.

    Prediction runs the model named by ``eval_model`` (its scores are the result the metric
    reports as ``acc/*``); with ``predict_both`` the other model's scores are attached too, so
    :class:`SemiAccMetric` reports teacher and student side by side.

    Args:
        network (dict): Config of the recognition network (student and teacher).
        threshold_cfg (dict): Threshold module config; ``num_classes`` is filled from the
            network's head. Defaults to ``FlexMatchThreshold`` (tau 0.3).
        mix_cfg (dict | None): Token mix module config; None disables the mix loss. Defaults
            to ``TubeTokenMix``.
        temporal_warp_cfg (dict | None): Temporal warping of the strong views; None disables
            it. Defaults to ``TemporalWarp``.
        gamma1 (float): Weight of the unlabeled loss. Defaults to 2.
        gamma2 (float): Weight of the mix loss. Defaults to 2.
        mix_loss (str): ``'mse_logits'`` (SVFormer) or ``'soft_ce'``. Defaults to
            ``'mse_logits'``.
        contrast_cfg (dict | None): Visual-audio contrastive loss config (e.g.
            ``dict(type='AVContrastiveLoss', video_dims=768, audio_dims=768)``); needs a network
            with both a video and an audio backbone. None (default) disables it.
        gamma3 (float): Weight of the contrastive loss. Defaults to 0.1.
        sync_loss_weight (float): Weight of the synchrony loss (0, the default, disables it):
            on the labeled clips and the unlabeled strong views, the student's fusion synchrony
            head (:class:`SyncPoolFusion`) picks each clip's own audio against the next clip's
            of the batch (cross-entropy over the two scores; the warp's frames followed as the
            fusion follows them). It needs no label, so every audio-visual row can have it; it
            keeps the pulse in the encoders' tokens, which the labels alone wear away.
        localizer (dict | None): Config of the frozen audio source localizer (e.g. ``FNAC``)
            that a map-guided mixer (``ASLGuidedMix``) reads, with two extra keys:
            ``checkpoint`` (local file of its trained weights, loaded by :meth:`init_weights`,
            i.e. at train start, never at construction) and ``config`` (the config that trains
            it, named in the error when the checkpoint is missing). Built only when the mixer
            needs maps or the network's fusion pools the sounding object
            (:class:`SourcePoolFusion`; then every branch's pipeline must load the localizer's
            audio); ignored otherwise. Defaults to None.
        channel_dropout (float): Channel dropout on the strong clips that the student sees
            directly and as clip A of a mix (SVFormer's code uses 0.2; partners are not
            dropped). Defaults to 0.
        unsup_warmup_iters (int): Ramp the weights of the unlabeled and mix losses linearly
            from 0 to ``gamma1`` / ``gamma2`` over this many training iterations (read from
            mmengine's message hub). 0 (default, SVFormer) uses the full weights from the start,
            which suits networks initialised from ImageNet; a network trained from scratch on a
            handful of labels (the tiny CPU configs) otherwise learns from pseudo-labels that
            are mostly wrong and collapses.
        unsup_start_iter (int): Iterations before the unlabeled and mix losses start at all (a
            supervised start: the EMA teacher becomes a supervised model and the threshold
            module sees its predictions meanwhile); the ramp of ``unsup_warmup_iters`` follows.
            Defaults to 0.
        pseudo_labels (str): ``'teacher'`` (default): the pseudo-labels are the teacher's.
            ``'oracle'``: a diagnostic upper bound, the unlabeled clips' true labels (one-hot,
            so every one passes any threshold) replace the teacher's probabilities in the
            unlabeled and mix losses; the threshold module still sees them, and ``pseudo_acc``
            and ``teacher_conf`` still report the teacher. It tells whether the unlabeled
            losses, schedule and augmentations could gain anything with perfect pseudo-labels;
            it needs labels on the unlabeled clips (SynthAV has them) and is never a result.
        oracle_noise (float): With ``pseudo_labels='oracle'``, the share of unlabeled clips
            whose oracle label is replaced by a wrong class, in ``[0, 1)``: which clips and
            which wrong classes are fixed per clip (drawn from ``oracle_seed`` and the clip's
            unlabeled index), like a teacher's persistent mistakes. It maps how right the
            pseudo-labels must be before the unlabeled losses gain anything. Defaults to 0.
        oracle_seed (int): Seed of the noisy oracle's draws. Defaults to 0.
        pseudo_label_agreement (Sequence[str]): Modalities (``'video'``, ``'audio'``) whose
            auxiliary classifier in the teacher (the network's ``aux_head``) must predict the
            same class as the teacher's pseudo-label for it to pass: the threshold module's
            mask is multiplied by this agreement (co-training's rule that two views vouch for
            a label). It filters even when the threshold passes everything. The threshold
            module still sees every clip's probabilities; ``agree_rate`` logs the share that
            agrees. Empty (default) filters nothing.
        dist_align_cfg (dict | None): Distribution alignment of the teacher's probabilities
            before they become pseudo-labels (e.g. ``dict(type='DistributionAlignment',
            momentum=0.99)``; ``num_classes`` is filled from the network's head): the
            threshold module, the pseudo-labels and the mix targets all see the aligned
            vectors, and ``pseudo_acc_raw`` logs the accuracy of the unaligned argmax beside
            ``pseudo_acc``. Prediction is never aligned. None (default) disables it.
        pseudo_label_gate_cfg (dict | None): Restrict the teacher's pseudo-labels to the
            classes one modality's own classifier in the teacher (the network's ``aux_head``)
            rates at least at chance (e.g. ``dict(type='ModalityGate', modality='audio')``,
            :class:`~avssl.models.pseudo_labels.ModalityGate`), after any distribution
            alignment: the threshold module, the pseudo-labels and the mix targets see the
            gated vectors, ``pseudo_acc_raw`` logs the ungated argmax's accuracy and
            ``gate_classes`` the mean number of classes kept. Prediction is never gated.
            None (default) disables it.
        eval_model (str): ``'teacher'`` or ``'student'``: whose predictions are the result.
            Defaults to ``'teacher'``.
        predict_both (bool): Also attach the other model's scores at prediction. Defaults to
            True.
        data_preprocessor (dict | None): Usually ``MultiBranchDataPreprocessor``.
        init_cfg (dict | None): mmengine initialisation config.
    """

    def __init__(
        self,
        network: dict,
        threshold_cfg: dict | None = None,
        mix_cfg: dict | None = None,
        temporal_warp_cfg: dict | None = None,
        gamma1: float = 2.0,
        gamma2: float = 2.0,
        mix_loss: str = 'mse_logits',
        contrast_cfg: dict | None = None,
        gamma3: float = 0.1,
        sync_loss_weight: float = 0.0,
        localizer: dict | None = None,
        channel_dropout: float = 0.0,
        unsup_warmup_iters: int = 0,
        unsup_start_iter: int = 0,
        pseudo_labels: str = 'teacher',
        oracle_noise: float = 0.0,
        oracle_seed: int = 0,
        pseudo_label_agreement: Sequence[str] = (),
        dist_align_cfg: dict | None = None,
        pseudo_label_gate_cfg: dict | None = None,
        eval_model: str = 'teacher',
        predict_both: bool = True,
        data_preprocessor: dict | None = None,
        init_cfg: dict | None = None,
    ) -> None:
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        if mix_loss not in MIX_LOSSES:
            raise ValueError(f'mix_loss must be one of {MIX_LOSSES}, got {mix_loss!r}')
        if pseudo_labels not in PSEUDO_LABEL_SOURCES:
            raise ValueError(
                f'pseudo_labels must be one of {PSEUDO_LABEL_SOURCES}, got {pseudo_labels!r}'
            )
        self.pseudo_labels = pseudo_labels
        if not 0.0 <= oracle_noise < 1.0:
            raise ValueError(f'oracle_noise must lie in [0, 1), got {oracle_noise!r}')
        if oracle_noise > 0 and pseudo_labels != 'oracle':
            raise ValueError(
                f"oracle_noise={oracle_noise} needs pseudo_labels='oracle', got {pseudo_labels!r}"
            )
        self.oracle_noise = oracle_noise
        self.oracle_seed = oracle_seed
        if eval_model not in ('teacher', 'student'):
            raise ValueError(f"eval_model must be 'teacher' or 'student', got {eval_model!r}")
        self.student = MODELS.build(network)
        self.teacher = MODELS.build(copy.deepcopy(network))
        self.teacher.requires_grad_(False)
        self.teacher.eval()
        num_classes = self.student.cls_head.num_classes
        threshold_cfg = dict(threshold_cfg or dict(type='FlexMatchThreshold'))
        if threshold_cfg.get('num_classes') is None:
            threshold_cfg['num_classes'] = num_classes
        self.threshold = MODELS.build(threshold_cfg)
        self.mixer = MODELS.build(mix_cfg) if mix_cfg is not None else None
        self.dist_align = None
        if dist_align_cfg is not None:
            dist_align_cfg = dict(dist_align_cfg)
            if dist_align_cfg.get('num_classes') is None:
                dist_align_cfg['num_classes'] = num_classes
            self.dist_align = MODELS.build(dist_align_cfg)
        self.temporal_warp = (
            MODELS.build(temporal_warp_cfg) if temporal_warp_cfg is not None else None
        )
        self.contrast = None
        if contrast_cfg is not None:
            if set(self.student.modalities) != {'video', 'audio'}:
                raise ValueError(
                    'contrast_cfg needs an audio-visual network (backbone and audio_backbone); '
                    f'this one has {self.student.modalities}'
                )
            self.contrast = MODELS.build(contrast_cfg)
        self.gamma3 = gamma3
        if sync_loss_weight < 0:
            raise ValueError(f'sync_loss_weight must be >= 0, got {sync_loss_weight}')
        if sync_loss_weight > 0 and not hasattr(getattr(self.student, 'neck', None), 'sync'):
            raise ValueError(
                f'sync_loss_weight={sync_loss_weight} needs a fusion with a synchrony head '
                f'(SyncPoolFusion), got {type(getattr(self.student, "neck", None)).__name__}'
            )
        self.sync_loss_weight = float(sync_loss_weight)
        self.localizer = None
        self.localizer_checkpoint: str | None = None
        self.localizer_config: str | None = None
        mixer_maps = self.mixer is not None and MAPS_KEY in getattr(self.mixer, 'context_keys', ())
        #: The student's fusion pools the video tokens where the localizer hears the sound
        #: (SourcePoolFusion): every clip it fuses gets the localizer's maps.
        self.source_pooling = bool(getattr(self.student.neck, 'needs_source_maps', False))
        if mixer_maps or self.source_pooling:
            if localizer is None:
                needs = (
                    f'mix_cfg {type(self.mixer).__name__}'
                    if mixer_maps
                    else f'the fusion {type(self.student.neck).__name__}'
                )
                raise ValueError(
                    f'{needs} needs localization maps: set '
                    'model.localizer (e.g. the FNAC of configs/fnac_r18_synthav_short.py with '
                    'its checkpoint)'
                )
            localizer = dict(localizer)
            self.localizer_checkpoint = localizer.pop('checkpoint', None)
            self.localizer_config = localizer.pop('config', None)
            self.localizer = MODELS.build(localizer)
            self.localizer.freeze()
        self.gamma1 = gamma1
        self.gamma2 = gamma2
        self.mix_loss = mix_loss
        self.channel_dropout = channel_dropout
        if unsup_warmup_iters < 0:
            raise ValueError(f'unsup_warmup_iters must be >= 0, got {unsup_warmup_iters}')
        self.unsup_warmup_iters = unsup_warmup_iters
        if unsup_start_iter < 0:
            raise ValueError(f'unsup_start_iter must be >= 0, got {unsup_start_iter}')
        self.unsup_start_iter = unsup_start_iter
        self.eval_model = eval_model
        self.predict_both = predict_both
        self.num_classes = num_classes
        self.pseudo_label_agreement = tuple(pseudo_label_agreement)
        self.student.require_aux_classifiers(
            self.pseudo_label_agreement,
            f'pseudo_label_agreement={list(self.pseudo_label_agreement)}',
        )
        self.pseudo_label_gate = None
        if pseudo_label_gate_cfg is not None:
            self.pseudo_label_gate = MODELS.build(pseudo_label_gate_cfg)
            self.student.require_aux_classifiers(
                [self.pseudo_label_gate.modality], 'pseudo_label_gate_cfg'
            )
        #: ``(probs (B, C), unlabeled indices (B,))`` of the last training step, for ThresholdHook.
        self.threshold_batch: tuple[torch.Tensor, torch.Tensor] | None = None

    def train(self, mode: bool = True) -> AVSemiRecognizer:
        """Set the student's mode; the teacher stays in eval mode."""
        super().train(mode)
        self.teacher.eval()
        return self

    # ----------------------------------------------------------------------------- localizer
    def init_weights(self) -> None:
        """Initialise the networks, then load the frozen localizer's checkpoint (train start).

        Raises:
            FileNotFoundError: If the localizer's ``checkpoint`` is missing; the message names
                the config that trains it and the command.
        """
        super().init_weights()
        if self.localizer is None:
            return
        from ..localizers.fnac_checkpoint import load_fnac_weights

        path = self.localizer_checkpoint
        if not path or not os.path.isfile(path):
            config = self.localizer_config or 'configs/fnac_r18_synthav_short.py'
            raise FileNotFoundError(
                f'model.localizer.checkpoint {path!r} does not exist: the '
                f'{"source-pooling fusion" if self.source_pooling else "ASL-guided mix"} needs '
                f'a trained localizer. Train it with `python tools/train.py {config}` (its last '
                'checkpoint is the file to give), or point model.localizer.checkpoint at a '
                'converted FNAC release (tools/model_converters/fnac_to_avssl.py)'
            )
        load_fnac_weights(self.localizer, path)
        self.localizer.freeze()

    def _pixel_stats(self) -> tuple[torch.Tensor, torch.Tensor]:
        """The classifier's normalisation mean and std ``(3,)`` (to undo it for the localizer)."""
        pre = self.data_preprocessor
        pre = getattr(pre, 'data_preprocessor', pre)
        if not getattr(pre, '_enable_normalize', True) or not hasattr(pre, 'mean'):
            raise ValueError('the ASL-guided mix needs a data preprocessor with mean and std')
        return pre.mean.flatten().float(), pre.std.flatten().float()

    def localization_maps(self, clips: dict[str, torch.Tensor]) -> torch.Tensor:
        """The frozen localizer's map of every frame of the given clips.

        Frames are un-normalised with the classifier's mean/std and re-normalised with the
        localizer's (ImageNet) statistics; each clip's raw localizer audio (``asl_audio``,
        3 s) is shared by its frames.

        Args:
            clips (dict[str, Tensor]): ``imgs`` ``(B, 1, C, T, H, W)`` (after spatial
                augmentation and temporal warping, so that map cells line up with tokens)
                and ``asl_audio`` ``(B, 1, N)``.

        Returns:
            Tensor: ``(B, T, h, w)``.
        """
        assert self.localizer is not None
        if 'asl_audio' not in clips:
            who = (
                "every branch's (labeled, weak, strong, val and test pipelines) for the "
                'source-pooling fusion'
                if self.source_pooling
                else "the strong view's for the ASL-guided mix"
            )
            raise KeyError(
                f"the localizer needs each clip's raw audio 'asl_audio', {who}: add "
                'LoadLocalizerAudio to those pipelines (see '
                'configs/_base_/datasets/synthav_semi_112.py)'
            )
        imgs = clips['imgs']
        imgs = imgs[:, 0] if imgs.dim() == 6 else imgs  # (B, C, T, H, W)
        batch, channels, frames = imgs.shape[:3]
        mean, std = self._pixel_stats()
        frames_bt = imgs.transpose(1, 2).reshape(batch * frames, channels, *imgs.shape[-2:])
        view = (1, channels, 1, 1)
        pixels = frames_bt.float() * std.to(imgs.device).view(view) + mean.to(imgs.device).view(
            view
        )
        pre = self.localizer.data_preprocessor
        loc_mean = pre.mean.flatten().float().to(imgs.device).view(view)
        loc_std = pre.std.flatten().float().to(imgs.device).view(view)
        audio = clips['asl_audio'].reshape(batch, -1).float()
        with torch.no_grad():
            maps = self.localizer.localization_map(
                (pixels - loc_mean) / loc_std, audio, frames_per_clip=frames
            )
        return maps.reshape(batch, frames, *maps.shape[-2:])

    def source_maps(self, clips: dict[str, torch.Tensor]) -> torch.Tensor | None:
        """The localizer's maps of ``clips`` if the fusion pools the source, else None."""
        return self.localization_maps(clips) if self.source_pooling else None

    @contextmanager
    def _fusing(self, network: torch.nn.Module, maps: torch.Tensor | None) -> Iterator[None]:
        """Show ``maps`` to ``network``'s source-pooling fusion inside the block (else a no-op)."""
        neck = getattr(network, 'neck', None)
        if maps is None or not getattr(neck, 'needs_source_maps', False):
            yield
            return
        with neck.showing(maps):
            yield

    def head_features(self, inputs: dict[str, torch.Tensor]) -> torch.Tensor:
        """The features the student's class head reads, ``(B*V, D)``, for a test-style batch.

        The student's backbones and fusion, with the localizer's maps shown to a fusion that
        pools the source (what :class:`PrototypeImprintHook` imprints a head from).
        """
        with self._fusing(self.student, self.source_maps(inputs)):
            return self.student.extract_feat(inputs)

    # ----------------------------------------------------------------------------- training
    def unsup_weight(self) -> float:
        """Factor in [0, 1] on the unlabeled and mix losses at the current iteration.

        0 before ``unsup_start_iter``, then a linear ramp over ``unsup_warmup_iters``
        (``min(1, (iter - unsup_start_iter) / unsup_warmup_iters)``), then 1.
        """
        iteration = MessageHub.get_current_instance().get_info('iter', 0)
        if iteration < self.unsup_start_iter:
            return 0.0
        if self.unsup_warmup_iters == 0:
            return 1.0
        return min(1.0, float(iteration - self.unsup_start_iter) / self.unsup_warmup_iters)

    def loss(self, inputs: dict[str, dict], data_samples: dict[str, SampleList]) -> dict:
        """Named losses and diagnostics of one semi-supervised step (see the class doc)."""
        losses: dict[str, torch.Tensor] = {}
        pairs: list[tuple[torch.Tensor, torch.Tensor]] = []
        #: (video, audio, frame index) of the clips the synchrony loss reads: unmixed ones
        sync_pairs: list[tuple[torch.Tensor, torch.Tensor, torch.Tensor | None]] = []
        if 'labeled' in inputs:
            video, audio = self.student.embed(inputs['labeled'])
            sync_pairs.append((video, audio, None))
            with self._fusing(self.student, self.source_maps(inputs['labeled'])):
                sup = self.student.labeled_loss(video, audio, data_samples['labeled'])
            losses['loss_sup'] = sup.pop('loss_cls')
            if 'top1_acc' in sup:
                losses['sup_top1'] = torch.as_tensor(sup.pop('top1_acc'))
            losses.update({k: v for k, v in sup.items() if k.startswith(('loss_aux_', 'aux_'))})
            pairs.append((video, audio))
        if 'weak' in inputs:
            try:
                losses.update(self._unlabeled_losses(inputs, data_samples, pairs))
                if self.sync_loss_weight > 0:  # the strong views, the first pair it added
                    neck = self.student.neck
                    index = neck.frame_index if getattr(neck, 'follow_warp', False) else None
                    sync_pairs.append((*pairs[len(sync_pairs)], index))
            finally:
                self._show_warp_to_fusion(None)
        if self.sync_loss_weight > 0 and sync_pairs:
            terms = [self.sync_loss(v, a, index) for v, a, index in sync_pairs]
            terms = [t for t in terms if t is not None]
            if terms:
                losses['loss_sync'] = (
                    self.sync_loss_weight * torch.stack([t[0] for t in terms]).mean()
                )
                losses['sync_acc'] = torch.stack([t[1] for t in terms]).mean()
        if self.contrast is not None and pairs:
            video = torch.cat([self.student.first_token(v) for v, _ in pairs])
            audio = torch.cat([self.student.first_token(a) for _, a in pairs])
            loss_c, acc = self.contrast(video, audio)
            losses['loss_contrast'] = self.gamma3 * loss_c
            losses['contrast_acc'] = acc
        return losses

    def _unlabeled_losses(
        self,
        inputs: dict[str, dict],
        data_samples: dict[str, SampleList],
        pairs: list[tuple[torch.Tensor, torch.Tensor]],
    ) -> dict[str, torch.Tensor]:
        weak, strong = inputs['weak'], dict(inputs['strong'])
        samples = data_samples['weak']
        video_t = audio_t = None
        gate_classes = None
        with torch.no_grad(), self._fusing(self.teacher, self.source_maps(weak)):
            if self.pseudo_label_agreement or self.pseudo_label_gate is not None:
                # the backbone outputs feed the unimodal heads too
                video_t, audio_t = self.teacher.embed(weak)
                logits_t = self.teacher.classify(video_t, audio_t)
            else:
                logits_t = self.teacher(weak, mode='tensor')
            probs = logits_t.float().softmax(dim=-1)
            raw_pseudo = probs.argmax(dim=-1)
            if self.dist_align is not None:  # updated with this batch, then applied to it
                probs = self.dist_align(probs)
            if self.pseudo_label_gate is not None:
                aux = self.teacher.aux_head(
                    self.teacher.first_token(video_t), self.teacher.first_token(audio_t)
                )
                probs, gate_classes = self.pseudo_label_gate(
                    probs, aux[self.pseudo_label_gate.modality].float()
                )
        teacher_conf, teacher_pseudo = probs.max(dim=-1)
        labels = [s.gt_labels.item for s in samples if 'gt_labels' in s]
        gt = torch.cat(labels).to(probs.device) if len(labels) == len(samples) else None
        indices = torch.as_tensor(
            [s.metainfo['unlabeled_index'] for s in samples], dtype=torch.long, device=probs.device
        )
        pseudo = teacher_pseudo
        if self.pseudo_labels == 'oracle':
            if gt is None:
                raise ValueError(
                    "pseudo_labels='oracle' needs the true label of every unlabeled clip "
                    '(gt_labels in the weak branch); this batch has '
                    f'{len(labels)} of {len(samples)}'
                )
            pseudo = self.noisy_oracle(gt, indices) if self.oracle_noise > 0 else gt
            probs = F.one_hot(pseudo, self.num_classes).to(probs.dtype)
        passed = self.threshold.mask(probs, indices).float()
        self.threshold_batch = (probs.detach(), indices.detach())
        agree = None
        if self.pseudo_label_agreement:
            agree = self.modality_agreement(video_t, audio_t, pseudo)
            passed = passed * agree

        if self.temporal_warp is not None and 'imgs' in strong:
            strong['imgs'] = self.temporal_warp(strong['imgs'])
            self._show_warp_to_fusion(self.temporal_warp.last_indices)
        student_in = strong
        if self.channel_dropout > 0 and 'imgs' in strong:
            student_in = dict(strong, imgs=self._drop_channels(strong['imgs']))
        strong_maps = self.source_maps(strong)  # of the warped frames the student sees
        video, audio = self.student.embed(student_in)
        pairs.append((video, audio))
        with self._fusing(self.student, strong_maps):
            logits = self.student.classify(video, audio)
        loss_u = (F.cross_entropy(logits, pseudo, reduction='none') * passed).mean()

        ramp = self.unsup_weight()
        out = {
            'loss_unlabeled': ramp * self.gamma1 * loss_u,
            'unsup_weight': torch.tensor(ramp),
            'pass_rate': passed.mean(),
            'teacher_conf': teacher_conf.mean(),
            'threshold_mean': self.threshold.class_thresholds().float().mean().detach(),
        }
        if agree is not None:
            out['agree_rate'] = agree.mean()
        if gate_classes is not None:
            out['gate_classes'] = gate_classes.float().mean()
        if gt is not None:
            out['pseudo_acc'] = (teacher_pseudo == gt).float().mean()
            if self.dist_align is not None or self.pseudo_label_gate is not None:
                out['pseudo_acc_raw'] = (raw_pseudo == gt).float().mean()
            if passed.sum() > 0:
                out['pseudo_acc_passed'] = ((pseudo == gt).float() * passed).sum() / passed.sum()
        if self.mixer is not None:
            mix = self._mix_loss(
                student_in, strong, probs, pseudo, passed, pairs, partner_maps=strong_maps
            )
            mix['loss_mix'] = ramp * mix['loss_mix']
            out.update(mix)
        return out

    def sync_loss(
        self, video: torch.Tensor, audio: torch.Tensor, frame_index: torch.Tensor | None
    ) -> tuple[torch.Tensor, torch.Tensor] | None:
        """``(loss, accuracy)`` of picking each clip's own audio against the next clip's.

        Scores of the student fusion's synchrony head (:meth:`FrameAlignedSyncHead.forward`)
        for (clip ``i``, audio ``i``) and (clip ``i``, audio ``i + 1 mod B``); the loss is the
        cross-entropy with the own audio as the answer. None for a batch of one clip.
        """
        if video.shape[0] < 2:
            return None
        sync = self.student.neck.sync
        partner = torch.roll(torch.arange(video.shape[0], device=video.device), -1)
        own = torch.logsumexp(sync.patch_scores(video, audio, frame_index), dim=1)
        other = torch.logsumexp(sync.patch_scores(video, audio[partner], frame_index), dim=1)
        logits = torch.stack([own, other], dim=1) + sync.bias
        target = torch.zeros(video.shape[0], dtype=torch.long, device=video.device)
        loss = F.cross_entropy(logits.float(), target)
        return loss, (logits.argmax(dim=1) == 0).float().mean().detach()

    def _show_warp_to_fusion(self, indices: torch.Tensor | None) -> None:
        """Tell the student's fusion which sampled frame each frame of the warped clips shows.

        A fusion that reads time (:class:`SyncPoolFusion`, with ``follow_warp``) matches each
        frame with the audio of that frame's time; other necks have no ``frame_index`` and are
        left alone. ``indices`` is :attr:`TemporalWarp.last_indices` (``(B, T)`` or
        ``(B, V, T)``), None to clear.
        """
        neck = getattr(self.student, 'neck', None)
        if neck is None or not hasattr(neck, 'frame_index'):
            return
        neck.frame_index = None if indices is None else indices.reshape(-1, indices.shape[-1])

    def modality_agreement(
        self, video: torch.Tensor | None, audio: torch.Tensor | None, pseudo: torch.Tensor
    ) -> torch.Tensor:
        """1 where every modality of ``pseudo_label_agreement`` agrees with ``pseudo``, else 0.

        Args:
            video (Tensor | None): The teacher's video backbone output of the weak views.
            audio (Tensor | None): Its audio backbone output.
            pseudo (Tensor): The pseudo-labels, shape ``(B,)``.

        Returns:
            Tensor: ``(B,)`` float mask.
        """
        with torch.no_grad():
            aux = self.teacher.aux_head(
                self.teacher.first_token(video), self.teacher.first_token(audio)
            )
        agree = torch.ones_like(pseudo, dtype=torch.bool)
        for modality in self.pseudo_label_agreement:
            agree &= aux[modality].argmax(dim=-1) == pseudo
        return agree.float()

    def noisy_oracle(self, labels: torch.Tensor, indices: torch.Tensor) -> torch.Tensor:
        """The oracle labels with ``oracle_noise`` of the clips moved to a fixed wrong class.

        Clip ``i`` (unlabeled index) draws ``u ~ U(0, 1)`` and an offset ``o`` in ``1..C-1``
        from a generator seeded with ``(oracle_seed, i)``; where ``u < oracle_noise`` its label
        becomes ``(y + o) mod C``. The same clip gets the same label in every epoch and run.

        Args:
            labels (Tensor): True labels, shape ``(B,)``.
            indices (Tensor): Unlabeled indices of the clips, shape ``(B,)``.

        Returns:
            Tensor: The labels to train on, shape ``(B,)``.
        """
        out = labels.clone()
        for j, index in enumerate(indices.tolist()):
            generator = torch.Generator().manual_seed(self.oracle_seed * 1_000_003 + index)
            u = torch.rand((), generator=generator).item()
            offset = int(torch.randint(1, self.num_classes, (), generator=generator))
            if u < self.oracle_noise:
                out[j] = (labels[j] + offset) % self.num_classes
        return out

    def _drop_channels(self, imgs: torch.Tensor) -> torch.Tensor:
        # (B, V, C, T, H, W): zero whole colour channels of a clip (SVFormer applies
        # F.dropout2d to its 5-D clips, which drops channels); dropout3d does that without the
        # deprecation warning for 5-D inputs.
        flat = imgs.flatten(0, 1)
        return F.dropout3d(flat, self.channel_dropout, training=True).view_as(imgs)

    def _mix_loss(
        self,
        clips_a: dict[str, torch.Tensor],
        partners: dict[str, torch.Tensor],
        probs: torch.Tensor,
        pseudo: torch.Tensor,
        passed: torch.Tensor,
        pairs: list[tuple[torch.Tensor, torch.Tensor]],
        partner_maps: torch.Tensor | None = None,
    ) -> dict[str, torch.Tensor]:
        """The mix loss; ``partner_maps`` are the localizer's maps of ``partners`` if known."""
        batch = probs.shape[0]
        # The backbone's own grid (validates H, W against its patch size); any view axis of
        # (B, V, C, T, H, W) is ignored, as grid() reads the last four dims.
        grid = self.student.backbone.grid(clips_a['imgs'].shape)
        context = dict(clips_a)
        if self.localizer is not None:
            if partner_maps is None:
                partner_maps = self.localization_maps(partners)
            context[MAPS_KEY] = partner_maps
        mix = self.mixer(batch, grid, probs.device, context=context)
        video, audio = self.student.mixed_features(
            clips_a, mix.mask, mix.lam, mix.partner, partner_inputs=partners
        )
        pairs.append((video, audio))
        mixed_maps = None
        if self.source_pooling:
            # Each token's map is that of the clip it came from. Clip A and its partners are
            # the same strong clips (A only channel-dropped), so one set of maps serves both.
            assert partner_maps is not None
            cells = F.adaptive_avg_pool2d(partner_maps.float(), grid[1:])  # (B, T, h, w)
            keep = mix.mask.bool().view(batch, *grid)
            mixed_maps = torch.where(keep, cells, cells[mix.partner])
        with self._fusing(self.student, mixed_maps):
            logits = self.student.classify(video, audio)
        one_hot = F.one_hot(pseudo, self.num_classes).to(probs.dtype)
        y = torch.where(passed.bool().unsqueeze(-1), one_hot, probs)
        target = mix_targets(y, mix.lam, mix.partner)
        weight = mix_weights(passed, mix.lam, mix.partner)
        if self.mix_loss == 'mse_logits':
            per_sample = ((logits.float() - target) ** 2).mean(dim=-1)
        else:
            per_sample = -(target * logits.float().log_softmax(dim=-1)).sum(dim=-1)
        return {
            'loss_mix': self.gamma2 * (per_sample * weight).mean(),
            'mix_lambda': mix.lam.float().mean(),
            'mix_kept': mix.mask.float().mean(),
        }

    # ---------------------------------------------------------------------------- inference
    @property
    def eval_network(self) -> torch.nn.Module:
        """The network whose predictions are the result: the teacher or the student."""
        return self.teacher if self.eval_model == 'teacher' else self.student

    def predict(self, inputs: dict[str, torch.Tensor], data_samples: SampleList) -> SampleList:
        """Predict with ``eval_model``; attach ``teacher_scores`` / ``student_scores``."""
        models = {'teacher': self.teacher, 'student': self.student}
        order = [self.eval_model] + (
            [m for m in models if m != self.eval_model] if self.predict_both else []
        )
        scores: dict[str, list[torch.Tensor]] = {}
        maps = self.source_maps(inputs)
        for name in order:
            with self._fusing(models[name], maps):
                results = models[name].predict(inputs, copy.deepcopy(data_samples))
            scores[name] = [r.pred_scores.item for r in results]
        for i, sample in enumerate(data_samples):
            chosen = scores[self.eval_model][i]
            sample.pred_scores = LabelData(item=chosen)
            sample.pred_labels = LabelData(item=chosen.argmax(dim=-1, keepdim=True))
            for name, values in scores.items():
                sample.set_field(LabelData(item=values[i]), f'{name}_scores')
        return data_samples

    def forward(
        self, inputs: Any, data_samples: Any = None, mode: str = 'tensor'
    ) -> dict | SampleList | torch.Tensor:
        """mmengine's modes; ``'tensor'`` returns the ``eval_model``'s logits."""
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        if mode == 'tensor':
            maps = self.source_maps(inputs) if isinstance(inputs, dict) else None
            with self._fusing(self.eval_network, maps):
                return self.eval_network(inputs, mode='tensor')
        raise ValueError(f'unknown mode {mode!r}; expected loss, predict or tensor')

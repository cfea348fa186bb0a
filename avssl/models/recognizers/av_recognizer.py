"""One audio-visual recognition network: video backbone, audio backbone, fusion, head."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from mmaction.utils import OptSampleList, SampleList
from mmengine.model import BaseModel

from avssl.registry import MODELS

from ..mixers.mix_ops import mix_tokens


@MODELS.register_module()
class AVRecognizer(BaseModel):
    """Recognise actions from frames, audio, or both.

    The video backbone (e.g. mmaction2's ``TimeSformer``) maps each view's frames to an
    embedding, the audio backbone (e.g. :class:`AudioTransformer`) each view's log-mel
    features; the neck fuses the two (concatenation by default) and an mmaction2 head
    classifies. Leaving out ``backbone`` or ``audio_backbone`` gives the audio-only or the
    video-only model with the same data path, which is how the modality check is run.

    Inputs (from :class:`AVDataPreprocessor`): a dict with ``imgs`` ``(B, V, C, T, H, W)``
    and/or ``audio`` ``(B, V, 1, Ta, F)``; a plain tensor is taken as ``imgs``. ``V`` views
    (clips x crops) are scored separately and averaged by the head at test time.

    Args:
        cls_head (dict): mmaction2 head config; ``in_channels`` = fused width.
        backbone (dict | None): Video backbone config. Defaults to None.
        audio_backbone (dict | None): Audio backbone config. Defaults to None.
        neck (dict | None): Fusion config. Defaults to ``ConcatFusion``.
        aux_head (dict | None): Per-modality auxiliary classifiers trained on the labels
            (:class:`UnimodalAuxHead`; ``num_classes`` is filled from ``cls_head``); their
            losses join the labeled loss, and with its ``fuse_weight`` > 0 their logits join
            the fused head's in :meth:`classify`. Defaults to None.
        modality_dropout (float): Modality dropout, in ``[0, 1]``: in training, each clip
            (each row of :meth:`classify`) loses one of its two modalities with this
            probability, video or audio with equal chance: the dropped embedding is zeroed
            before the fusion neck and that modality's auxiliary logits leave the sum, so the
            network must predict from the other input alone. The auxiliary heads' own losses
            keep both inputs; nothing is dropped in eval mode (the EMA teacher, testing).
            Needs both backbones. Defaults to 0 (off).
        predict_gate_cfg (dict | None): Gate the prediction (``mode='predict'``, testing) by
            one modality's auxiliary classifier (e.g. ``dict(type='ModalityGate',
            modality='audio')``, :class:`~avssl.models.pseudo_labels.ModalityGate`): the
            classes it rates below chance get no score, the others share the prediction's
            probabilities. Training, ``mode='tensor'`` and a teacher's pseudo-labels are
            unchanged. Needs that classifier in ``aux_head``. Defaults to None (off).
        frozen_modules (Sequence[str]): Parts that never train, among ``'backbone'`` and
            ``'audio_backbone'``: their parameters get ``requires_grad=False``, so no
            gradient is computed through them (a backward costs only the layers above) and
            no optimizer moves them. Their mode (train/eval) follows the network's, as with
            a learning rate of 0. Defaults to () (everything trains).
        data_preprocessor (dict | None): Data preprocessor config. Defaults to None.
        init_cfg (dict | None): mmengine initialisation config. Defaults to None.
    """

    #: The parts ``frozen_modules`` may name.
    FREEZABLE = ('backbone', 'audio_backbone')

    def __init__(
        self,
        cls_head: dict,
        backbone: dict | None = None,
        audio_backbone: dict | None = None,
        neck: dict | None = None,
        aux_head: dict | None = None,
        modality_dropout: float = 0.0,
        predict_gate_cfg: dict | None = None,
        frozen_modules: Sequence[str] = (),
        data_preprocessor: dict | None = None,
        init_cfg: dict | None = None,
    ) -> None:
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        if backbone is None and audio_backbone is None:
            raise ValueError('AVRecognizer needs a backbone, an audio_backbone or both')
        self.backbone = MODELS.build(backbone) if backbone is not None else None
        self.audio_backbone = MODELS.build(audio_backbone) if audio_backbone is not None else None
        self.neck = MODELS.build(neck if neck is not None else dict(type='ConcatFusion'))
        self.cls_head = MODELS.build(cls_head)
        self.aux_head = None
        if aux_head is not None:
            aux_head = dict(aux_head)
            if aux_head.get('num_classes') is None:
                aux_head['num_classes'] = self.cls_head.num_classes
            self.aux_head = MODELS.build(aux_head)
            extra = set(self.aux_head.modalities) - set(self.modalities)
            if extra:
                raise ValueError(
                    f'aux_head has classifiers for {sorted(extra)}, which this network '
                    f'({"+".join(self.modalities)}) does not have'
                )
        if not 0.0 <= modality_dropout <= 1.0:
            raise ValueError(f'modality_dropout must lie in [0, 1], got {modality_dropout!r}')
        if modality_dropout > 0 and len(self.modalities) < 2:
            raise ValueError(
                f'modality_dropout={modality_dropout} needs a video and an audio backbone; this '
                f'network has only {"+".join(self.modalities)}'
            )
        self.modality_dropout = float(modality_dropout)
        self.predict_gate = None
        if predict_gate_cfg is not None:
            self.predict_gate = MODELS.build(predict_gate_cfg)
            self.require_aux_classifiers([self.predict_gate.modality], 'predict_gate_cfg')
        self.frozen_modules = tuple(frozen_modules)
        for name in self.frozen_modules:
            if name not in self.FREEZABLE:
                raise ValueError(
                    f'frozen_modules: unknown part {name!r}; freezable: {list(self.FREEZABLE)}'
                )
            if getattr(self, name) is None:
                raise ValueError(f'frozen_modules names {name!r}, which this network does not have')
            getattr(self, name).requires_grad_(False)

    def require_aux_classifiers(self, modalities: Sequence[str], option: str) -> None:
        """Check that ``aux_head`` has a classifier for each of ``modalities``.

        Args:
            modalities (Sequence[str]): The modalities whose own classifier ``option`` reads.
            option (str): The setting that needs them, named in the error.

        Raises:
            ValueError: If one is missing; the message names ``option``, the missing
                modalities and the classifiers this network has.
        """
        heads = self.aux_head.modalities if self.aux_head is not None else ()
        missing = [m for m in modalities if m not in heads]
        if missing:
            raise ValueError(
                f'{option} needs auxiliary classifiers for {missing} in aux_head '
                f'(UnimodalAuxHead); this network has {list(heads)}'
            )

    @property
    def modalities(self) -> tuple[str, ...]:
        """tuple[str, ...]: ``('video',)``, ``('audio',)`` or ``('video', 'audio')``."""
        return tuple(
            name
            for name, module in (('video', self.backbone), ('audio', self.audio_backbone))
            if module is not None
        )

    def extract_video(self, imgs: torch.Tensor) -> torch.Tensor:
        """Embed frames ``(B, V, C, T, H, W)`` (or ``(N, C, T, H, W)``) to ``(B*V, Dv)``."""
        assert self.backbone is not None
        if imgs.dim() == 6:
            imgs = imgs.flatten(0, 1)
        return self.backbone(imgs)

    def extract_audio(self, audio: torch.Tensor) -> torch.Tensor:
        """Embed log-mel features ``(B, V, 1, Ta, F)`` (or ``(N, 1, Ta, F)``) to ``(B*V, Da)``."""
        assert self.audio_backbone is not None
        if audio.dim() == 5:
            audio = audio.flatten(0, 1)
        return self.audio_backbone(audio)

    def _check_inputs(self, inputs: dict[str, torch.Tensor] | torch.Tensor) -> dict:
        if isinstance(inputs, torch.Tensor):
            inputs = {'imgs': inputs}
        needed = {'video': 'imgs', 'audio': 'audio'}
        missing = [needed[m] for m in self.modalities if needed[m] not in inputs]
        if missing:
            raise KeyError(
                f'AVRecognizer ({"+".join(self.modalities)}) needs the inputs {missing}; got '
                f'{sorted(inputs)} (pack them with PackAVInputs)'
            )
        return inputs

    def embed(
        self, inputs: dict[str, torch.Tensor] | torch.Tensor
    ) -> tuple[torch.Tensor | None, torch.Tensor | None]:
        """The two backbones' outputs before fusion, ``(video, audio)``.

        Each is ``(B*V, D)`` (a class token) or ``(B*V, 1 + L, D)`` (all tokens, for a neck
        that fuses all of them), or None for a missing modality.

        Raises:
            KeyError: If an input the configured modalities need is missing.
        """
        inputs = self._check_inputs(inputs)
        video = self.extract_video(inputs['imgs']) if self.backbone is not None else None
        audio = self.extract_audio(inputs['audio']) if self.audio_backbone is not None else None
        return video, audio

    @staticmethod
    def first_token(x: torch.Tensor | None) -> torch.Tensor | None:
        """The class token of a backbone output: ``x`` if ``(N, D)``, ``x[:, 0]`` if 3-D."""
        if x is None or x.dim() == 2:
            return x
        return x[:, 0]

    def modality_keep(self, rows: int, device: torch.device) -> dict[str, torch.Tensor] | None:
        """Per-row keep factors ``{'video': (rows,), 'audio': (rows,)}`` of modality dropout.

        1 keeps the modality, 0 drops it; at most one of the two is 0 in a row. None when
        modality dropout does not act (off, or in eval mode), so no random number is drawn.
        """
        if not self.training or self.modality_dropout == 0:
            return None
        dropped = torch.rand(rows, device=device) < self.modality_dropout
        video_out = torch.rand(rows, device=device) < 0.5
        return {
            'video': (~(dropped & video_out)).float(),
            'audio': (~(dropped & ~video_out)).float(),
        }

    def classify(self, video: torch.Tensor | None, audio: torch.Tensor | None) -> torch.Tensor:
        """Logits ``(N, num_classes)`` of backbone outputs (fusion neck, then head).

        With an ``aux_head`` whose ``fuse_weight`` w is > 0, ``w`` times the (per-modality
        weighted) sum of its per-modality logits is added (:meth:`UnimodalAuxHead.combine`).
        In training with ``modality_dropout`` > 0, the dropped modality of each row is zeroed
        at the neck's input and its auxiliary logits are left out of the sum
        (:meth:`modality_keep`).
        """
        fused = {'video': video, 'audio': audio}
        keep = None
        if video is not None and audio is not None:
            keep = self.modality_keep(video.shape[0], video.device)
        if keep is not None:
            fused = {
                m: x * keep[m].to(x.dtype).view(-1, *([1] * (x.dim() - 1)))
                for m, x in fused.items()
            }
        logits = self.cls_head(self.neck(fused['video'], fused['audio']))
        if self.aux_head is not None and self.aux_head.fuse_weight > 0:
            aux = self.aux_head(self.first_token(video), self.first_token(audio))
            if keep is not None:
                aux = {m: x * keep[m].to(x.dtype)[:, None] for m, x in aux.items()}
            logits = logits + self.aux_head.combine(aux)
        return logits

    def extract_feat(self, inputs: dict[str, torch.Tensor] | torch.Tensor) -> torch.Tensor:
        """Fused embedding of every view, ``(B*V, D)``.

        Raises:
            KeyError: If an input the configured modalities need is missing.
        """
        return self.neck(*self.embed(inputs))

    def video_tokens(self, imgs: torch.Tensor) -> torch.Tensor:
        """Patch tokens of single-view clips, ``(B, T, N, D)``, before any embedding is added.

        Args:
            imgs (Tensor): ``(B, 1, C, T, H, W)`` or ``(B, C, T, H, W)``.

        Raises:
            TypeError: If the video backbone cannot split its forward (no ``embed``).
        """
        if self.backbone is None or not hasattr(self.backbone, 'embed'):
            raise TypeError(
                'token mixing needs a video backbone with embed/encode (MixableTimeSformer), '
                f'got {type(self.backbone).__name__}'
            )
        if imgs.dim() == 6:
            if imgs.shape[1] != 1:
                raise ValueError(f'token mixing takes one view per clip, got {imgs.shape[1]}')
            imgs = imgs[:, 0]
        return self.backbone.embed(imgs)

    def mixed_features(
        self,
        inputs: dict[str, torch.Tensor],
        mask: torch.Tensor,
        lam: torch.Tensor,
        partner: torch.Tensor,
        partner_inputs: dict[str, torch.Tensor] | None = None,
    ) -> tuple[torch.Tensor | None, torch.Tensor | None]:
        """Backbone outputs ``(video, audio)`` of mixed clips: clip ``i`` with ``partner[i]``.

        Video: the patch tokens of clip ``i`` are kept where ``mask`` is True and taken from
        the partner elsewhere, after patch embedding and before the class token, position and
        time embeddings. Audio: ``lam * a_i + (1 - lam) * a_partner`` on the spectrograms,
        with the same ``lam`` and partner as the video.

        Args:
            inputs (dict): Single-view inputs of clips A (``imgs`` and/or ``audio``).
            mask (Tensor): ``(B, T, N)`` bool, True = keep clip A's token.
            lam (Tensor): ``(B,)`` mixing ratio (used for the audio).
            partner (Tensor): ``(B,)`` index of clip B.
            partner_inputs (dict | None): Where the partners' inputs come from when they differ
                from ``inputs`` (e.g. clips A are augmented further). Defaults to ``inputs``.

        Returns:
            tuple: As :meth:`embed`.
        """
        inputs = self._check_inputs(inputs)
        partner_inputs = inputs if partner_inputs is None else partner_inputs
        video = audio = None
        if self.backbone is not None:
            tokens_a = self.video_tokens(inputs['imgs'])
            tokens_b = (
                tokens_a if partner_inputs is inputs else self.video_tokens(partner_inputs['imgs'])
            )
            video = self.backbone.encode(mix_tokens(tokens_a, tokens_b[partner], mask.bool()))
        if self.audio_backbone is not None:
            a = inputs['audio'].flatten(0, 1) if inputs['audio'].dim() == 5 else inputs['audio']
            b = partner_inputs['audio']
            b = b.flatten(0, 1) if b.dim() == 5 else b
            w = lam.to(a.dtype).view(-1, *([1] * (a.dim() - 1)))
            audio = self.audio_backbone(w * a + (1.0 - w) * b[partner])
        return video, audio

    def aux_losses(
        self, video: torch.Tensor | None, audio: torch.Tensor | None, data_samples: SampleList
    ) -> dict[str, torch.Tensor]:
        """The auxiliary head's losses on labeled clips (empty without ``aux_head``).

        Args:
            video, audio: Backbone outputs ``(B*V, ...)`` of :meth:`embed`.
            data_samples (list): The ``B`` samples with ``gt_labels``; each label is repeated
                over the sample's ``V`` views.
        """
        if self.aux_head is None:
            return {}
        labels = torch.stack([s.gt_labels.item for s in data_samples]).reshape(-1).long()
        video, audio = self.first_token(video), self.first_token(audio)
        rows = (video if video is not None else audio).shape[0]
        if rows % labels.shape[0]:
            raise ValueError(f'{rows} embeddings for {labels.shape[0]} labeled samples')
        labels = labels.to(video.device if video is not None else audio.device)
        return self.aux_head.loss(video, audio, labels.repeat_interleave(rows // labels.shape[0]))

    def labeled_loss(
        self, video: torch.Tensor | None, audio: torch.Tensor | None, data_samples: SampleList
    ) -> dict:
        """``loss_cls`` on :meth:`classify`'s logits, the head's training accuracies and the
        auxiliary losses, for backbone outputs of labeled clips."""
        losses = self.cls_head.loss_by_feat(self.classify(video, audio), data_samples)
        losses.update(self.aux_losses(video, audio, data_samples))
        return losses

    def loss(self, inputs: dict[str, torch.Tensor], data_samples: SampleList) -> dict:
        """Classification loss (``loss_cls``), the auxiliary losses and training accuracies."""
        return self.labeled_loss(*self.embed(inputs), data_samples)

    def predict(self, inputs: dict[str, torch.Tensor], data_samples: SampleList) -> SampleList:
        """Scores of :meth:`classify` averaged over the views, written into ``data_samples``.

        With ``predict_gate_cfg`` each view's probabilities are gated first, and the head gets
        their logarithm (``-inf`` for a gated class), so that its softmax returns them.
        """
        video, audio = self.embed(inputs)
        logits = self.classify(video, audio)
        if self.predict_gate is not None:
            aux = self.aux_head(self.first_token(video), self.first_token(audio))
            gated, _ = self.predict_gate(
                logits.float().softmax(dim=-1), aux[self.predict_gate.modality].float()
            )
            logits = gated.log()
        return self.cls_head.predict_by_feat(logits, data_samples)

    def forward(
        self,
        inputs: dict[str, torch.Tensor] | torch.Tensor,
        data_samples: OptSampleList = None,
        mode: str = 'tensor',
    ) -> dict | SampleList | torch.Tensor:
        """mmengine's three modes: ``'loss'``, ``'predict'`` and ``'tensor'`` (raw logits)."""
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        if mode == 'tensor':
            return self.classify(*self.embed(inputs))
        raise ValueError(f'unknown mode {mode!r}; expected loss, predict or tensor')

"""The logits of each part of an audio-visual prediction, apart and summed.

With the late-fusion heads (:class:`~avssl.models.heads.UnimodalAuxHead` with ``fuse_weight``
w > 0) a network's logits are ``fused + w * (video + audio)`` (each modality optionally
weighted, ``modality_weights``): the fused head's over the fusion
neck, plus each encoder's own classifier. Which of them gets a clip right says where a
prediction's mistakes come from (``tools/analysis/pseudo_label_quality.py --parts``).
"""

from __future__ import annotations

import torch

from avssl.models.pseudo_labels import ModalityGate
from avssl.models.recognizers.av_semi_recognizer import AVSemiRecognizer


def reported_network(model: torch.nn.Module) -> torch.nn.Module:
    """The network a recognizer reports: a semi-supervised one's ``eval_network``, else itself."""
    return model.eval_network if isinstance(model, AVSemiRecognizer) else model


def prediction_parts(
    model: torch.nn.Module, inputs: dict[str, torch.Tensor], batch_size: int = 32
) -> dict[str, torch.Tensor]:
    """Logits ``(N, C)`` of every part of the reported network's prediction.

    Args:
        model (torch.nn.Module): An audio-visual recognizer (or its semi-supervised wrapper)
            whose network has an ``aux_head``.
        inputs (dict[str, Tensor]): Preprocessed, stacked clips (``load_split``).
        batch_size (int): Clips per forward. Defaults to 32.

    Returns:
        dict[str, Tensor]: ``'prediction'`` (what the network predicts), ``'fused'`` (the fused
        head alone) and one entry per auxiliary classifier (``'video'``, ``'audio'``).

    Raises:
        ValueError: If the network has no auxiliary head (nothing to split).
    """
    net = reported_network(model)
    if getattr(net, 'aux_head', None) is None:
        raise ValueError(
            f'{type(net).__name__} has no aux_head: its prediction is the fused head alone, '
            'with no parts to split'
        )
    parts: dict[str, list[torch.Tensor]] = {}
    count = next(iter(inputs.values())).shape[0]
    with torch.no_grad():
        for start in range(0, count, batch_size):
            batch = {key: value[start : start + batch_size] for key, value in inputs.items()}
            video, audio = net.embed(batch)
            found = {
                'prediction': net.classify(video, audio),
                'fused': net.cls_head(net.neck(video, audio)),
                **net.aux_head(net.first_token(video), net.first_token(audio)),
            }
            for name, logits in found.items():
                parts.setdefault(name, []).append(logits.float())
    return {name: torch.cat(chunks) for name, chunks in parts.items()}


def gated_prediction(
    parts: dict[str, torch.Tensor], modality: str = 'audio', floor: float | None = None
) -> torch.Tensor:
    """The prediction's probabilities ``(N, C)`` gated by one part, as ``ModalityGate`` would.

    What the network would predict if the classes ``modality``'s own classifier rates below
    the floor (chance by default) were ruled out (the rule ``pseudo_label_gate_cfg`` applies
    to pseudo-labels).

    Args:
        parts (dict[str, Tensor]): :func:`prediction_parts`'s logits.
        modality (str): The gating part, ``'audio'`` (default) or ``'video'``.
        floor (float | None): ``ModalityGate``'s floor; None (default) for chance, ``1 / C``.

    Raises:
        KeyError: If ``parts`` has no such modality, named with those it has.
    """
    if modality not in parts:
        raise KeyError(f'no {modality!r} classifier among the parts {sorted(parts)}')
    gate = ModalityGate(modality=modality, floor=floor)
    gated, _ = gate(parts['prediction'].softmax(dim=1), parts[modality])
    return gated

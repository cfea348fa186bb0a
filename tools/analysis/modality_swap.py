"""Which input decides a recognizer's prediction: top-1 with the audio or the frames swapped.

``python tools/analysis/modality_swap.py CONFIG CKPT [CKPT ...] [--split test] [--seed 0]
[--num N] [--head fused|video|audio] [--json OUT]``

Every clip of the split (the config's test or val pipeline) is scored three times by the
reported model (the EMA teacher of semi-supervised configs, as ``tools/test.py``): with its own
inputs, with its audio taken from a random clip of another class, and with its frames taken
from such a clip (the same partner for both; a single-modality model gets only its own row).
The table gives the top-1 against the clip's own label and against the partner's label: a model
that follows the audio drops on its own label and rises on the partner's when the audio is
swapped. With ``--head audio`` (or ``video``) the scores are those of the network's auxiliary
classifier on that encoder (``aux_head``), not the fused prediction. Several checkpoints of
one config (seeds) give one table row each and a mean.
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections.abc import Sequence

import torch
from mmaction.structures import ActionDataSample
from mmengine.config import DictAction

from avssl.analysis.modality_swap import PredictFn, modality_swap_table, other_class_partners
from avssl.analysis.split_inputs import load_split
from avssl.apis import init_recognizer


def scorer(model: torch.nn.Module, head: str = 'fused') -> PredictFn:
    """The model's class scores for a batch of preprocessed inputs.

    Args:
        model: The recognizer (a semi-supervised one is scored through its ``eval_model``).
        head (str): ``'fused'`` (the prediction the test reports), or ``'video'`` / ``'audio'``:
            the probabilities of that encoder's auxiliary classifier (``aux_head``), averaged
            over the views, which says what the encoder alone knows inside the network.

    Raises:
        ValueError: If ``head`` names a classifier the network does not have.
    """
    if head == 'fused':

        def predict(batch: dict[str, torch.Tensor]) -> torch.Tensor:
            count = next(iter(batch.values())).shape[0]
            samples = model(batch, [ActionDataSample() for _ in range(count)], mode='predict')
            return torch.stack([s.pred_scores.item for s in samples])

        return predict
    network = getattr(model, model.eval_model) if hasattr(model, 'eval_model') else model
    aux = getattr(network, 'aux_head', None)
    if aux is None or head not in aux.modalities:
        raise ValueError(
            f'--head {head}: the network has no {head} auxiliary classifier (its config sets no '
            'aux_head with that modality); use --head fused'
        )

    def predict_aux(batch: dict[str, torch.Tensor]) -> torch.Tensor:
        count = next(iter(batch.values())).shape[0]
        with torch.no_grad():
            video, audio = network.embed(batch)
            logits = aux(network.first_token(video), network.first_token(audio))[head]
        probs = logits.float().softmax(dim=-1)
        return probs.view(count, -1, probs.shape[-1]).mean(dim=1)

    return predict_aux


def main(argv: Sequence[str] | None = None) -> int:
    """Score the split under the three conditions and print the table (0 on success)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='recognizer config')
    parser.add_argument('checkpoints', nargs='+', help='checkpoint files or training work dirs')
    parser.add_argument('--split', choices=('test', 'val'), default='test')
    parser.add_argument('--seed', type=int, default=0, help='seed of the partner draw')
    parser.add_argument('--num', type=int, default=0, help='first N clips only (0: all)')
    parser.add_argument('--batch-size', type=int, default=16)
    parser.add_argument(
        '--head',
        choices=('fused', 'video', 'audio'),
        default='fused',
        help="whose scores: the fused prediction, or one encoder's auxiliary classifier",
    )
    parser.add_argument('--json', help='write the rows to this file')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    args = parser.parse_args(argv)
    results = []
    partners = inputs = labels = None
    for checkpoint in args.checkpoints:
        model = init_recognizer(args.config, checkpoint, cfg_options=args.cfg_options)
        if inputs is None:  # the pipeline is deterministic at test time: load once
            inputs, labels = load_split(model, args.split, args.num)
            generator = torch.Generator().manual_seed(args.seed)
            partners = other_class_partners(labels, generator)
        rows = modality_swap_table(
            scorer(model, args.head), inputs, labels, partners, batch_size=args.batch_size
        )
        results.append({'checkpoint': checkpoint, 'rows': rows})
    print(
        f'{args.split}: {len(labels)} clips, partners of another class (seed {args.seed}), '
        f'{args.head} scores'
    )
    print('| checkpoint | condition | top-1 own label % | top-1 partner label % |')
    print('|---|---|---|---|')
    for result in results:
        for row in result['rows']:
            print(
                f'| {result["checkpoint"]} | {row["condition"]} | '
                f'{100 * row["own_top1"]:.2f} | {100 * row["partner_top1"]:.2f} |'
            )
    if len(results) > 1:
        for i, row in enumerate(results[0]['rows']):
            own = [100 * r['rows'][i]['own_top1'] for r in results]
            partner = [100 * r['rows'][i]['partner_top1'] for r in results]
            print(
                f'| mean of {len(results)} | {row["condition"]} | '
                f'{statistics.mean(own):.2f} +- {statistics.stdev(own):.2f} | '
                f'{statistics.mean(partner):.2f} +- {statistics.stdev(partner):.2f} |'
            )
    if args.json:
        with open(args.json, 'w', encoding='utf-8') as f:
            json.dump(
                {'split': args.split, 'seed': args.seed, 'head': args.head, 'results': results},
                f,
                indent=2,
            )
    return 0


if __name__ == '__main__':
    raise SystemExit(main())

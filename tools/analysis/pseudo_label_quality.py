"""How many of a teacher's pseudo-labels a confidence threshold keeps, and how many are right.

``python tools/analysis/pseudo_label_quality.py CONFIG CKPT [CKPT ...] [--split unlabeled]
[--thresholds 0 0.3 0.5 0.7 0.9 0.95] [--flexmatch-taus 0.1 0.3 0.5 0.7 0.95] [--num N]
[--no-flexmatch-warmup] [--bins 10] [--json OUT]``

Every clip of the split (by default the unlabeled half of the config's training set, read with
the test pipeline: one centre view, as close to the teacher's weak view as a deterministic
pipeline gets) is scored by the reported model (the EMA teacher of a semi-supervised config).
For each threshold the table gives the share of clips whose confidence reaches it (coverage),
the accuracy of those pseudo-labels and of the rejected ones, how many classes the kept ones
name and the share of the most common; then the expected calibration error. The 5-shot
configs save ``iter_200.pth`` when their unlabeled losses start, so that checkpoint shows
what a fixed threshold could select at that point (at 1 shot the losses start at iteration
50, before the first checkpoint). Several checkpoints (seeds) give one block each and a
mean.

With ``--flexmatch-taus`` a second table says what FlexMatch (the configs' module, warm-up
normaliser on) would pass at each base threshold once it has seen every clip of the split
with this teacher: the share of clips it counts (confidence >= tau), its mean and largest
class threshold, the share that passes and how many of those are right. When nearly every
clip passes at every tau, a tau sweep cannot move the runs (``reproduction.md``, Fig. 4).
``--no-flexmatch-warmup`` asks the same of FlexMatch without its warm-up normaliser
(``beta_c = sigma_c / max sigma``), whose class thresholds can reach tau when few clips do.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
from collections.abc import Sequence

import torch
from mmaction.structures import ActionDataSample
from mmengine.config import DictAction

from avssl.analysis.prediction_parts import gated_prediction, prediction_parts
from avssl.analysis.pseudo_label_quality import (
    expected_calibration_error,
    flexmatch_selection,
    group_errors,
    selective_accuracy,
)
from avssl.analysis.split_inputs import SPLITS, load_split
from avssl.apis import init_recognizer


def score_split(
    model: torch.nn.Module, inputs: dict[str, torch.Tensor], batch_size: int = 16
) -> torch.Tensor:
    """The model's predicted class probabilities ``(N, C)`` for stacked inputs."""
    count = next(iter(inputs.values())).shape[0]
    out = []
    with torch.no_grad():
        for start in range(0, count, batch_size):
            batch = {key: value[start : start + batch_size] for key, value in inputs.items()}
            size = next(iter(batch.values())).shape[0]
            samples = model(batch, [ActionDataSample() for _ in range(size)], mode='predict')
            out.append(torch.stack([s.pred_scores.item for s in samples]))
    return torch.cat(out).float()


def _fmt(value: float) -> str:
    return '-' if math.isnan(value) else f'{100 * value:.1f}'


def main(argv: Sequence[str] | None = None) -> int:
    """Score the split with every checkpoint and print the tables (0 on success)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='recognizer config')
    parser.add_argument('checkpoints', nargs='+', help='checkpoint files or training work dirs')
    parser.add_argument('--split', choices=SPLITS, default='unlabeled')
    parser.add_argument(
        '--thresholds', type=float, nargs='+', default=[0.0, 0.3, 0.5, 0.7, 0.9, 0.95]
    )
    parser.add_argument(
        '--flexmatch-taus',
        type=float,
        nargs='+',
        default=[],
        help='FlexMatch base thresholds: what FlexMatch would pass after one pass of the teacher',
    )
    parser.add_argument(
        '--no-flexmatch-warmup',
        action='store_true',
        help='FlexMatch without its warm-up normaliser (beta_c = sigma_c / max sigma)',
    )
    parser.add_argument(
        '--group-size',
        type=int,
        default=0,
        help='split the mistakes into those inside and across groups of this many consecutive '
        'classes (2 on SynthAV: the families); 0: off',
    )
    parser.add_argument(
        '--parts',
        action='store_true',
        help='also score each part of a late-fusion prediction apart (the fused head, each '
        "encoder's own classifier) with the --group-size split",
    )
    parser.add_argument(
        '--gate',
        choices=('video', 'audio'),
        help='with --parts, also score the prediction restricted to the classes this '
        "modality's classifier rates at least at chance (ModalityGate)",
    )
    parser.add_argument(
        '--gate-floors',
        type=float,
        nargs='+',
        default=[],
        help='with --gate, also score the gate at these floors (ModalityGate floor) besides chance',
    )
    parser.add_argument('--num', type=int, default=0, help='first N clips only (0: all)')
    parser.add_argument('--bins', type=int, default=10, help='bins of the calibration error')
    parser.add_argument('--batch-size', type=int, default=16)
    parser.add_argument('--json', help='write the numbers to this file')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    args = parser.parse_args(argv)
    if args.gate_floors and not (args.parts and args.gate):
        parser.error('--gate-floors needs --parts and --gate')
    warmup = not args.no_flexmatch_warmup
    normaliser = 'warm-up normaliser' if warmup else 'no warm-up: beta_c = sigma_c / max sigma'
    results = []
    inputs = labels = None
    for checkpoint in args.checkpoints:
        model = init_recognizer(args.config, checkpoint, cfg_options=args.cfg_options)
        if inputs is None:  # the test pipeline is deterministic: load the clips once
            inputs, labels = load_split(model, args.split, args.num)
        probs = score_split(model, inputs, args.batch_size)
        rows = selective_accuracy(probs, labels, args.thresholds)
        ece = expected_calibration_error(probs, labels, args.bins)
        conf = probs.max(dim=1).values
        flex = flexmatch_selection(probs, labels, args.flexmatch_taus, warmup=warmup)
        groups = group_errors(probs, labels, args.group_size) if args.group_size else None
        parts = None
        if args.parts:
            size = args.group_size or 1
            logits = prediction_parts(model, inputs, args.batch_size)
            parts = {
                name: group_errors(part.softmax(dim=1), labels, size)
                for name, part in logits.items()
            }
            if args.gate:
                parts[f'prediction gated by {args.gate}'] = group_errors(
                    gated_prediction(logits, args.gate), labels, size
                )
                for floor in args.gate_floors:
                    parts[f'prediction gated by {args.gate}, floor {floor:g}'] = group_errors(
                        gated_prediction(logits, args.gate, floor), labels, size
                    )
        results.append(
            {
                'checkpoint': checkpoint,
                'rows': rows,
                'ece': ece,
                'mean_conf': float(conf.mean()),
                'flexmatch': flex,
                'group_errors': groups,
                'parts': parts,
            }
        )
        print(
            f'{checkpoint}: {args.split}, {len(labels)} clips, mean confidence '
            f'{conf.mean():.3f}, ECE {ece:.3f} ({args.bins} bins)'
        )
        print(
            '| threshold | coverage % | kept | accuracy of kept % | accuracy of rejected % '
            '| classes kept | largest class % of kept |'
        )
        print('|---|---|---|---|---|---|---|')
        for row in rows:
            print(
                f'| {row["threshold"]:g} | {_fmt(row["coverage"])} | {int(row["kept"])} | '
                f'{_fmt(row["accuracy"])} | {_fmt(row["rejected_accuracy"])} | '
                f'{int(row["classes"])} | {_fmt(row["largest_class_share"])} |'
            )
        if flex:
            print(f'FlexMatch ({normaliser}) after one pass of this teacher:')
            print(
                '| tau | counted % | mean class threshold | largest | pass rate % '
                '| right among passed % |'
            )
            print('|---|---|---|---|---|---|')
            for row in flex:
                print(
                    f'| {row["tau"]:g} | {_fmt(row["counted"])} | {row["threshold_mean"]:.3f} | '
                    f'{row["threshold_max"]:.3f} | {_fmt(row["pass_rate"])} | '
                    f'{_fmt(row["accuracy"])} |'
                )
        if groups:
            print(
                f'groups of {args.group_size} classes: accuracy {_fmt(groups["accuracy"])} %, '
                f'group right {_fmt(groups["group_accuracy"])} %, mistakes inside a group '
                f'{_fmt(groups["within"])} % and across groups {_fmt(groups["across"])} % of '
                f'the clips; clips predicted per class {groups["predicted"]}'
            )
        if parts:
            print('| part of the prediction | right % | group right % |')
            print('|---|---|---|')
            for name, part in parts.items():
                print(f'| {name} | {_fmt(part["accuracy"])} | {_fmt(part["group_accuracy"])} |')
    if len(results) > 1:
        print(f'mean of {len(results)} checkpoints (accuracy over those that keep any clip)')
        print('| threshold | coverage % | accuracy of kept % |')
        print('|---|---|---|')
        for i, threshold in enumerate(args.thresholds):
            cover = [r['rows'][i]['coverage'] for r in results]
            acc = [r['rows'][i]['accuracy'] for r in results]
            acc = [a for a in acc if not math.isnan(a)]
            print(
                f'| {threshold:g} | {_fmt(statistics.mean(cover))} | '
                f'{_fmt(statistics.mean(acc)) if acc else "-"} |'
            )
    if args.json:
        with open(args.json, 'w', encoding='utf-8') as f:
            json.dump(
                {'split': args.split, 'flexmatch_warmup': warmup, 'results': results}, f, indent=2
            )
    return 0


if __name__ == '__main__':
    raise SystemExit(main())

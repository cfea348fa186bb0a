"""FLOPs of one semi-supervised training iteration (``docs/method.md`` section 6).

``python tools/analysis/get_flops.py CONFIG [--device meta|cpu] [--cfg-options ...]``

Builds the config's ``AVSemiRecognizer`` (on the ``meta`` device by default: no memory, no
arithmetic; random weights, ``init_weights`` is not called) and counts ``model.loss`` on a
synthetic batch of 1 labeled + 1 unlabeled clip shaped from the config: the student on the
labeled, strong and mixed clips, the teacher on the weak clip, and the frozen localizer on the
strong clip's frames when the mix is ASL-guided. Multiply-accumulates count as FLOPs (fvcore /
mmengine convention). Prints the parts and, as the last line,
``trainable_params_M=<float> gflops_per_iter=<float>``. See ``avssl/analysis/flops.py`` for
what is and is not counted.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from mmengine.config import DictAction

from avssl.analysis.flops import count_config_flops, format_report
from avssl.utils import register_all_modules
from avssl.utils.cli import load_config


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line.

    Args:
        argv (Sequence[str] | None): Arguments without the program name; None = ``sys.argv``.

    Returns:
        argparse.Namespace: ``config``, ``device``, ``num_labeled``, ``num_unlabeled``,
        ``cfg_options``.
    """
    parser = argparse.ArgumentParser(description='FLOPs of one training iteration')
    parser.add_argument('config', help='config file of an AVSemiRecognizer')
    parser.add_argument(
        '--device',
        choices=['meta', 'cpu'],
        default='meta',
        help='meta: shapes only (default, instant for ViT-B); cpu: real random tensors',
    )
    parser.add_argument('--num-labeled', type=int, default=1, help='labeled clips (default 1)')
    parser.add_argument('--num-unlabeled', type=int, default=1, help='unlabeled clips (default 1)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Count and print.

    Args:
        argv (Sequence[str] | None): Arguments without the program name; None = ``sys.argv``.

    Returns:
        int: Exit status (0).
    """
    args = parse_args(argv)
    if args.num_labeled < 1 or args.num_unlabeled < 1:
        raise SystemExit('--num-labeled and --num-unlabeled must be >= 1')
    register_all_modules(init_scope=True)
    cfg = load_config(args.config, args.cfg_options)
    result = count_config_flops(
        cfg.model, args.device, num_labeled=args.num_labeled, num_unlabeled=args.num_unlabeled
    )
    print(format_report(result, args.config))
    return 0


if __name__ == '__main__':
    raise SystemExit(main())

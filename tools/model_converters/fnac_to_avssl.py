"""Convert a checkpoint of the official FNAC release into avssl's ``FNAC`` format.

Usage::

    python tools/model_converters/fnac_to_avssl.py SRC DST [--no-check]

SRC is a local file of the public FNAC code (``OpenNLPLab/FNAC_AVL``): ``{'model': state_dict,
...}`` with keys ``imgnet.*``, ``img_proj.*``, ``audnet.*``, ``aud_proj.*`` (``module.``
prefixes allowed). DST receives ``{'state_dict': ..., 'meta': ...}`` with avssl's keys, which
``load_from``, ``tools/test.py`` and ``FNAC(pretrained=DST)`` read. Unless ``--no-check`` is
given, the result is loaded strictly into an FNAC at the paper's sizes first. Nothing is
downloaded.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import torch

from avssl.models.backbones.vit_checkpoint import load_checkpoint_file
from avssl.models.localizers.fnac_checkpoint import (
    check_state_dict_fits,
    convert_fnac_state_dict,
)
from avssl.utils.safe_load import UnsafeCheckpointError, refusing_unsafe_pickles


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line.

    Args:
        argv (Sequence[str] | None): Arguments without the program name; None = ``sys.argv``.

    Returns:
        argparse.Namespace: ``src``, ``dst``, ``no_check``.
    """
    parser = argparse.ArgumentParser(description='Convert an official FNAC checkpoint.')
    parser.add_argument('src', help='official FNAC checkpoint (local file)')
    parser.add_argument('dst', help='output file ({"state_dict", "meta"})')
    parser.add_argument(
        '--no-check',
        action='store_true',
        help='skip loading the result into an FNAC at the paper sizes',
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Convert, check and save.

    Args:
        argv (Sequence[str] | None): Arguments without the program name; None = ``sys.argv``.

    Returns:
        int: Exit status: 0 on success, 1 when the file is not an FNAC checkpoint or unpickling
        it would run code (refused, nothing is run).
    """
    args = parse_args(argv)
    try:
        with refusing_unsafe_pickles(args.src):
            source = load_checkpoint_file(args.src, 'SRC', prefixes=('module.',))
        state, report = convert_fnac_state_dict(source)
        if not args.no_check:
            from avssl.models.localizers import FNAC
            from avssl.utils import register_all_modules

            register_all_modules(init_scope=True)
            model = FNAC()  # the paper's sizes: ResNet-18 streams, embedding 512
            check_state_dict_fits(model, state, f'converted {args.src}')
            model.load_state_dict(state, strict=True)
    except (OSError, ValueError, TypeError, UnsafeCheckpointError) as exc:
        print(f'error: {exc}', file=sys.stderr)
        return 1
    meta = dict(source=str(args.src), converter='tools/model_converters/fnac_to_avssl.py')
    torch.save({'state_dict': state, 'meta': meta}, args.dst)
    print(f'wrote {args.dst} ({len(report.mapped)} tensors from {args.src})')
    prefixes: dict[str, int] = {}
    for src_key, dst_key in report.mapped:
        pair = f'{src_key.split(".")[0]}.* -> {dst_key.split(".")[0]}.*'
        prefixes[pair] = prefixes.get(pair, 0) + 1
    for pair, count in prefixes.items():
        print(f'  {pair} ({count})')
    if report.dropped:
        print(f'dropped ({len(report.dropped)}): {", ".join(report.dropped)}')
    if not args.no_check:
        print('checked: loads strictly into FNAC at the paper sizes (width_mult=1, embed_dim=512)')
    return 0


if __name__ == '__main__':
    sys.exit(main())

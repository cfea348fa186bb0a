"""Refresh the result tables of docs/reproduction.md from the grid's work dirs.

``python tools/experiments/fill_reproduction_tables.py [--work-root work_dirs/table2]``

Runs ``tools/analysis/table2_report.py`` for the 1-shot and the 5-shot rows (this file holds
their row lists and seed-paired differences; ``STAGE=report`` of ``table2_synthav.sh`` calls
it), redraws their bar charts under ``docs/figures/``, writes every number to
``<work-root>/table2_<budget>.json``, and writes each printed table between its
``<!-- table2-<budget> -->`` markers (``1shot``, ``5shot``; ``1shot_aux``: the 1-shot
audio-visual rows with unimodal auxiliary heads, ``*_aux`` and ``*_auxsum`` configs;
``1shot_loc``: the ASL rows with the short and the long-schedule localizer, ``*_loclong``
configs, and the mask diagnostics ``*_flatmap`` and ``*_lam5_10``; ``5shot_fixed``: the
5-shot rows with the val-chosen fixed threshold, ``*_fixed0_7`` configs; ``5shot_oracle``: the
5-shot rows trained on the true labels of the unlabeled clips, ``*_oracle`` configs, a
diagnostic upper bound; ``5shot_aux``: the 5-shot audio-visual rows with the late-fusion
auxiliary heads, ``*_5shot*_auxsum`` configs; ``5shot_aux_w2``: the same rows with the
unlabeled weights chosen again on val with the heads, ``*_5shot*_auxsum_w2`` configs, protocol
seeds 0-4; ``5shot_aux_w2_seeds5_9``: its three main rows on fresh seeds 5-9, run after the
seeds 0-4 table was written, and ``5shot_aux_w2_seeds0_9``: the two sets pooled;
``5shot_aux_w4``: V+A+Tube+C and the method at weight 4, which edged weight 2 on val;
``5shot_aux_w2_loc``: the weight-2 ASL rows with the long-schedule localizer and the 5-shot
mask diagnostics, seeds 0-4, and ``5shot_aux_w2_loc_seeds5_9`` / ``_seeds0_9``: the method
with that localizer, and the method with the tube's lambda, against the main rows on the
fresh seeds and on all ten; ``5shot_aux_w2_scratch``: labeled-only AV, V+A+Tube+C and the
method at weight 2 from randomly initialised encoders, ``*_scratch`` configs, against their
pretrained rows, seeds 0-2; ``5shot_aux_w2_loc_seeds10_14`` / ``_seeds0_14``: a second
replication, seeds 10-14, of the method with either localizer against V+A+Tube+C and
labeled-only AV, and all fifteen seeds; ``1shot_scratch``: the main 1-shot rows (labeled-only V
and AV, SVFormer-Flex, V+A+Tube+C, the method) from randomly initialised encoders, against
their pretrained rows, seeds 0-2; ``1shot_mdrop``: the 1-shot rows with the heads and the
val-chosen modality dropout, ``*_1shot*_auxsum_mdrop`` configs, against the same rows without
it, seeds 0-4 (V+A+Tube and V+A+ASL: 0-2), and ``1shot_mdrop_seeds5_9`` / ``_seeds0_9``: its
labeled-only AV, V+A+Tube+C and method rows on fresh seeds 5-9 and on all ten;
``5shot_aux_w2_vpres``: labeled-only AV, V+A+Tube+C and the method at weight 2 from the
presence-pretrained video start chosen on 5-shot val, ``*_vpres`` configs, against the same
rows from the default start, seeds 0-4; ``5shot_aux_w2_vw``: labeled-only AV, V+A+Tube+C and
the method (long-schedule localizer) at weight 2 with the video classifier at half weight in
the late-fusion sum, chosen on 5-shot val, ``*_vw0_5`` configs, against the same rows at full
weight, seeds 0-4; ``label_budgets``: the label-budget curve, labeled-only AV, V+A+Tube+C and
the method with the 5-shot recipe unchanged at 1, 2, 3 and 5 labels per class, seeds 0-4, and
``label_budgets_seeds5_9``: labeled-only AV and the method at 3 shots on fresh seeds 5-9;
``5shot_aux_w2_loc_oracle``: the method in that recipe trained on the true labels of the
unlabeled clips (a diagnostic upper bound), seeds 0-4; ``5shot_gate``: V+A+Tube+C and the
method with their pseudo-labels gated by the teacher's audio classifier, chosen on 5-shot val,
``*_5shot*_gate`` configs, against the same rows without the gate, seeds 0-4, and
``5shot_gate_seeds5_9`` / ``_seeds0_9``: the same rows on fresh seeds 5-9 and on all ten,
``5shot_gate_seeds10_14`` / ``_seeds0_14``: on a second replication, seeds 10-14, and on all
fifteen, and ``5shot_gate_table2``: Table 2's four audio-visual rows (V+A+Tube and V+A+ASL
too) with the gate, seeds 0-4, and ``5shot_gate_table2_seeds5_9`` / ``_seeds0_9``: the four
gated rows on fresh seeds 5-9 and on all ten (the ungated V+A+Tube / V+A+ASL rows ran on
seeds 0-4 only), ``5shot_gate_table2_seeds10_14`` / ``_seeds0_14``: on seeds 10-14 and on all
fifteen;
``5shot_pgate``: labeled-only AV and the gated rows tested with the gate in their prediction
too, ``*_pgate`` configs on the same checkpoints, seeds 0-4, and ``5shot_pgate_seeds5_14`` /
``_seeds0_14``: on the fresh seeds 5-14 and on all fifteen; ``1shot_gate``: V+A+Tube+C and the
method with the heads, modality dropout and audio-gated pseudo-labels, chosen on 1-shot val,
``*_1shot*_mdrop_gate`` configs, against the same rows without the gate, seeds 0-4, and
``1shot_gate_seeds5_9`` / ``_seeds0_9``: on fresh seeds 5-9 and on all ten, and
``1shot_gate_table2``: Table 2's four audio-visual rows with the gate at 1 shot, seeds 0-4;
``1shot_vdata`` / ``5shot_vdata``: labeled-only V and SVFormer-Flex on the SynthAV variants
whose frames can name the class, distractors that do not pulse (``*_srcpulse`` configs; at 5
shots SVFormer on oracle pseudo-labels too) and one object per clip (``*_solo``), beside the
same rows on the default data, seeds 0-4, and ``1shot_vdata_solo_seeds5_9`` / ``_seeds0_9``:
the two one-object rows at 1 shot on fresh seeds 5-9 and on all ten; ``1shot_solo_table2``:
Table 2's 1-shot rows on the one-object variant, ``*_solo`` configs, seeds 0-2, and
``1shot_solo_table2_seeds0_4``: the same rows on seeds 0-4;
``1shot_oracle_v``: SVFormer at 1 shot trained on the true labels of the unlabeled clips
(``svformer_tiny_synthav_1shot_oracle.py``, a diagnostic upper bound) beside labeled-only V and
SVFormer-Flex, seeds 0-4; ``1shot_vdata`` / ``5shot_vdata`` also hold the source-pulse rows
started from the clip TimeSformer, ``*_srcpulse_clipstart`` configs, SVFormer on oracle
pseudo-labels among them); ``1shot_randaug``: SVFormer-Flex, V+A+Tube+C and the method (gated,
heads, dropout) with RandAugment on the unlabeled clips' strong view, chosen on 1-shot val
(``*_1shot*_randaug`` configs), beside the same rows without it and their labeled-only rows,
seeds 0-4; ``1shot_it800``: labeled-only V and AV, SVFormer-Flex, V+A+Tube+C and the method (gated,
heads, dropout) trained for 800 iterations, the schedule 1-shot val chose (``*_it800`` configs),
beside the same rows at 400, seeds 0-4; ``1shot_gate_table2_it800``: the four gated Table-2
rows and labeled-only AV at 800 iterations beside the same rows at 400, seeds 0-2;
``1shot_grid_it800``: the whole 1-shot grid (labeled-only V / A / AV, SVFormer-Fix / -Flex and
the four gated Table-2 rows) at 800 iterations, every seed each row has of 0-4;
``1shot_v_it800_seeds5_9`` / ``_seeds0_9``: goal 1's two rows (labeled-only V, SVFormer-Flex)
at 800 iterations on fresh seeds 5-9 and on all ten; ``1shot_grid_it800_seeds5_9`` /
``_seeds0_9``: the whole grid at 800 iterations on fresh seeds 5-9 and on all ten;
``1shot_srcpool``: labeled-only AV, V+A+Tube+C and the method with the source-pooling fusion
(``*_it800_srcpool`` configs, chosen on 1-shot val) beside the same rows with the class-token
fusion and labeled-only A, seeds 0-4; ``1shot_frozenenc``: the same three source-pooling rows
with both encoders frozen (``*_it800_srcpool_frozenenc`` configs, chosen on 1-shot val) beside
the source-pooling rows, seeds 0-4; ``1shot_imprint``: the same three rows with the imprinted
cosine classifier and the encoders fine-tuned (``*_it800_imprint_ft`` configs, chosen on 1-shot
val) beside the frozen-encoder rows and the runner-up (frozen encoders, the head at a tenth of
the rate, ``*_it800_imprint_lr01``), seeds 0-4; ``1shot_imprint_table2``: all nine of Table 2's
rows in that setting (the one-modality rows with the imprinted head on their one class token),
seeds 0-4; ``1shot_imprint_seeds5_9`` / ``_seeds0_9``: the three goal rows of that setting
(labeled-only AV, V+A+Tube+C, the method) on fresh seeds 5-9 and on all ten;
``5shot_imprint``: that setting at 5 shots, where 5-shot val chose it (labeled-only V and AV,
SVFormer-Flex, V+A+Tube+C, the method, ``*_5shot*_it800_imprint_ft`` configs), against the
rows of the 5-shot protocol it replaces (the gate in the pseudo-labels and in every
prediction, ``*_pgate`` configs; the video-only rows have no gate), seeds 0-2;
``5shot_imprint_w05``: the semi-supervised rows of that setting with the unlabeled losses from
iteration 200 at weight 0.5, chosen on 5-shot val (``*_5shot*_imprint_ft_w05`` configs),
against the same rows before and the unchanged labeled-only rows, seeds 0-2), so the page
always shows what the work dirs and the committed results ledger
(``docs/data/table2_results.jsonl``, ``tools/analysis/results_ledger.py``) hold. Nothing else
in the page changes.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / 'docs' / 'reproduction.md'
LEDGER = REPO / 'docs' / 'data' / 'table2_results.jsonl'
PAIRS = {
    '1shot': [
        'SVFormer-Flex:labeled-only V',
        'method:labeled-only AV',
        'method:V+A+Tube+C',
        'V+A+Tube+C:labeled-only AV',
        'V+A+ASL:V+A+Tube',
    ],
    '1shot_aux': [
        'labeled-only AV +aux:labeled-only AV',
        'labeled-only AV +auxsum:labeled-only AV',
        'method +auxsum:labeled-only AV +auxsum',
        'method +auxsum:V+A+Tube+C +auxsum',
        'V+A+Tube+C +auxsum:labeled-only AV +auxsum',
        'method +auxsum:method',
        'V+A+Tube+C +auxsum:V+A+Tube+C',
        'V+A+Tube +auxsum:labeled-only AV +auxsum',
        'V+A+Tube+C +auxsum:V+A+Tube +auxsum',
        'V+A+ASL +auxsum:V+A+Tube +auxsum',
        'method +auxsum:V+A+ASL +auxsum',
    ],
    '1shot_loc': [
        'method long loc.:method',
        'method +auxsum long loc.:method +auxsum',
        'method long loc.:V+A+Tube+C',
        'method +auxsum long loc.:V+A+Tube+C +auxsum',
        'method +auxsum long loc.:labeled-only AV +auxsum',
        'V+A+ASL long loc.:V+A+ASL',
        'V+A+ASL long loc.:V+A+Tube',
        'method +auxsum:method +auxsum flat map',
        'V+A+Tube+C +auxsum Beta(5,10):V+A+Tube+C +auxsum',
        'V+A+Tube+C +auxsum Beta(5,10):method +auxsum flat map',
        'method +auxsum:V+A+Tube+C +auxsum Beta(5,10)',
    ],
    '5shot': [
        'SVFormer-Flex:labeled-only V',
        'method:labeled-only AV',
        'method:V+A+Tube+C',
        'V+A+Tube+C:labeled-only AV',
    ],
    '5shot_fixed': [
        'SVFormer fixed 0.7:labeled-only V',
        'method fixed 0.7:labeled-only AV',
        'V+A+Tube+C fixed 0.7:labeled-only AV',
        'method fixed 0.7:V+A+Tube+C fixed 0.7',
        'method fixed 0.7:method',
        'V+A+Tube+C fixed 0.7:V+A+Tube+C',
        'SVFormer fixed 0.7:SVFormer-Flex',
        'V+A+Tube fixed 0.7:labeled-only AV',
        'V+A+Tube+C fixed 0.7:V+A+Tube fixed 0.7',
    ],
    '5shot_oracle': [
        'SVFormer oracle:labeled-only V',
        'SVFormer oracle:SVFormer-Flex',
        'method oracle:labeled-only AV',
        'method oracle:method',
        'method oracle:method fixed 0.7',
        'V+A+Tube+C oracle:labeled-only AV',
        'V+A+Tube+C oracle:V+A+Tube+C',
        'method oracle:V+A+Tube+C oracle',
    ],
    '5shot_aux': [
        'labeled-only AV +auxsum:labeled-only AV',
        'method +auxsum:labeled-only AV +auxsum',
        'method +auxsum:V+A+Tube+C +auxsum',
        'V+A+Tube+C +auxsum:labeled-only AV +auxsum',
        'method +auxsum:method',
        'V+A+Tube+C +auxsum:V+A+Tube+C',
        'method +auxsum:labeled-only AV',
        'V+A+Tube +auxsum:labeled-only AV +auxsum',
        'V+A+Tube+C +auxsum:V+A+Tube +auxsum',
        'V+A+ASL +auxsum:V+A+Tube +auxsum',
        'method +auxsum:V+A+ASL +auxsum',
    ],
    '5shot_aux_w2': [
        'method +auxsum w2:labeled-only AV +auxsum',
        'V+A+Tube+C +auxsum w2:labeled-only AV +auxsum',
        'method +auxsum w2:V+A+Tube+C +auxsum w2',
        'method +auxsum w2:method +auxsum',
        'V+A+Tube+C +auxsum w2:V+A+Tube+C +auxsum',
        'method +auxsum w2:labeled-only AV',
        'V+A+Tube +auxsum w2:labeled-only AV +auxsum',
        'V+A+Tube+C +auxsum w2:V+A+Tube +auxsum w2',
        'V+A+ASL +auxsum w2:V+A+Tube +auxsum w2',
        'method +auxsum w2:V+A+ASL +auxsum w2',
    ],
    '5shot_aux_w2_seeds5_9': [
        'method +auxsum w2:labeled-only AV +auxsum',
        'V+A+Tube+C +auxsum w2:labeled-only AV +auxsum',
        'method +auxsum w2:V+A+Tube+C +auxsum w2',
    ],
    '5shot_aux_w4': [
        'method +auxsum w4:labeled-only AV +auxsum',
        'V+A+Tube+C +auxsum w4:labeled-only AV +auxsum',
        'method +auxsum w4:V+A+Tube+C +auxsum w4',
        'method +auxsum w4:method +auxsum w2',
        'V+A+Tube+C +auxsum w4:V+A+Tube+C +auxsum w2',
    ],
    '5shot_aux_w2_loc': [
        'method +auxsum w2 long loc.:V+A+Tube+C +auxsum w2',
        'method +auxsum w2 long loc.:labeled-only AV +auxsum',
        'method +auxsum w2 long loc.:method +auxsum w2',
        'V+A+ASL +auxsum w2 long loc.:V+A+Tube +auxsum w2',
        'V+A+ASL +auxsum w2 long loc.:V+A+ASL +auxsum w2',
        'method +auxsum w2 long loc.:V+A+ASL +auxsum w2 long loc.',
        'method +auxsum w2 long loc.:method +auxsum w2 flat map',
        'method +auxsum w2:method +auxsum w2 flat map',
        'method +auxsum w2 flat map:V+A+Tube+C +auxsum w2 Beta(5,10)',
        'V+A+Tube+C +auxsum w2 Beta(5,10):V+A+Tube+C +auxsum w2',
        'method +auxsum w2:V+A+Tube+C +auxsum w2 Beta(5,10)',
        'method +auxsum w2 Beta(10,10):V+A+Tube+C +auxsum w2',
        'method +auxsum w2 Beta(10,10):method +auxsum w2',
    ],
    '5shot_aux_w2_loc_seeds5_9': [
        'method +auxsum w2 long loc.:V+A+Tube+C +auxsum w2',
        'method +auxsum w2 long loc.:labeled-only AV +auxsum',
        'method +auxsum w2 long loc.:method +auxsum w2',
        'method +auxsum w2 Beta(10,10):V+A+Tube+C +auxsum w2',
    ],
    '5shot_aux_w2_scratch': [
        'labeled-only AV +auxsum:labeled-only AV +auxsum scratch',
        'V+A+Tube+C +auxsum w2:V+A+Tube+C +auxsum w2 scratch',
        'method +auxsum w2:method +auxsum w2 scratch',
        'V+A+Tube+C +auxsum w2 scratch:labeled-only AV +auxsum scratch',
        'method +auxsum w2 scratch:labeled-only AV +auxsum scratch',
        'method +auxsum w2 scratch:V+A+Tube+C +auxsum w2 scratch',
    ],
}
PAIRS['1shot_scratch'] = [
    'labeled-only V:labeled-only V scratch',
    'labeled-only AV:labeled-only AV scratch',
    'SVFormer-Flex:SVFormer-Flex scratch',
    'V+A+Tube+C:V+A+Tube+C scratch',
    'method:method scratch',
    'SVFormer-Flex scratch:labeled-only V scratch',
    'V+A+Tube+C scratch:labeled-only AV scratch',
    'method scratch:labeled-only AV scratch',
    'method scratch:V+A+Tube+C scratch',
]
PAIRS['1shot_mdrop'] = [
    'method +auxsum mdrop:labeled-only AV +auxsum mdrop',
    'V+A+Tube+C +auxsum mdrop:labeled-only AV +auxsum mdrop',
    'method +auxsum mdrop:V+A+Tube+C +auxsum mdrop',
    'labeled-only AV +auxsum mdrop:labeled-only AV +auxsum',
    'V+A+Tube+C +auxsum mdrop:V+A+Tube+C +auxsum',
    'method +auxsum mdrop:method +auxsum',
    'V+A+Tube +auxsum mdrop:labeled-only AV +auxsum mdrop',
    'V+A+Tube+C +auxsum mdrop:V+A+Tube +auxsum mdrop',
    'V+A+ASL +auxsum mdrop:V+A+Tube +auxsum mdrop',
    'method +auxsum mdrop:V+A+ASL +auxsum mdrop',
]
PAIRS['1shot_mdrop_seeds5_9'] = [
    'V+A+Tube+C +auxsum mdrop:labeled-only AV +auxsum mdrop',
    'method +auxsum mdrop:labeled-only AV +auxsum mdrop',
    'method +auxsum mdrop:V+A+Tube+C +auxsum mdrop',
]
PAIRS['1shot_mdrop_seeds0_9'] = PAIRS['1shot_mdrop_seeds5_9']
PAIRS['5shot_aux_w2_vw'] = [
    'method +auxsum w2 long loc. vw0.5:labeled-only AV +auxsum vw0.5',
    'V+A+Tube+C +auxsum w2 vw0.5:labeled-only AV +auxsum vw0.5',
    'method +auxsum w2 long loc. vw0.5:V+A+Tube+C +auxsum w2 vw0.5',
    'labeled-only AV +auxsum vw0.5:labeled-only AV +auxsum',
    'V+A+Tube+C +auxsum w2 vw0.5:V+A+Tube+C +auxsum w2',
    'method +auxsum w2 long loc. vw0.5:method +auxsum w2 long loc.',
    'method +auxsum w2 long loc. vw0.5:labeled-only AV +auxsum',
]
PAIRS['label_budgets'] = [
    pair
    for shots in ('1 shot', '2 shots', '3 shots', '5 shots')
    for pair in (
        f'method, {shots}:labeled-only AV +auxsum, {shots}',
        f'V+A+Tube+C, {shots}:labeled-only AV +auxsum, {shots}',
        f'method, {shots}:V+A+Tube+C, {shots}',
    )
]
PAIRS['label_budgets_seeds5_9'] = ['method, 3 shots:labeled-only AV +auxsum, 3 shots']
PAIRS['5shot_aux_w2_loc_oracle'] = [
    'method +auxsum w2 long loc. oracle:labeled-only AV +auxsum',
    'method +auxsum w2 long loc. oracle:method +auxsum w2 long loc.',
    'method +auxsum w2 long loc.:labeled-only AV +auxsum',
]
PAIRS['5shot_gate'] = [
    'method +auxsum w2 long loc. gate:labeled-only AV +auxsum',
    'V+A+Tube+C +auxsum w2 gate:labeled-only AV +auxsum',
    'method +auxsum w2 long loc. gate:V+A+Tube+C +auxsum w2 gate',
    'method +auxsum w2 long loc. gate:method +auxsum w2 long loc.',
    'V+A+Tube+C +auxsum w2 gate:V+A+Tube+C +auxsum w2',
]
PAIRS['5shot_gate_seeds5_9'] = PAIRS['5shot_gate']
PAIRS['5shot_gate_seeds0_9'] = PAIRS['5shot_gate']
PAIRS['5shot_gate_seeds10_14'] = PAIRS['5shot_gate']
PAIRS['5shot_gate_seeds0_14'] = PAIRS['5shot_gate']
# Table 2's steps among the four gated audio-visual rows (contrastive loss, mask, the method)
_GATED_TABLE2_STEPS = [
    'V+A+Tube+C gate:V+A+Tube gate',
    'method gate:V+A+ASL gate',
    'V+A+ASL gate:V+A+Tube gate',
    'method gate:V+A+Tube+C gate',
]
PAIRS['5shot_gate_table2'] = [
    *_GATED_TABLE2_STEPS,
    'V+A+Tube gate:V+A+Tube +auxsum w2',
    'V+A+ASL gate:V+A+ASL +auxsum w2 long loc.',
    'method gate:labeled-only AV +auxsum',
]
PAIRS['5shot_gate_table2_seeds5_9'] = [
    *_GATED_TABLE2_STEPS,
    'V+A+Tube gate:labeled-only AV +auxsum',
    'V+A+ASL gate:labeled-only AV +auxsum',
    'method gate:labeled-only AV +auxsum',
]
PAIRS['5shot_gate_table2_seeds0_9'] = PAIRS['5shot_gate_table2_seeds5_9']
PAIRS['5shot_gate_table2_seeds10_14'] = PAIRS['5shot_gate_table2_seeds5_9']
PAIRS['5shot_gate_table2_seeds0_14'] = PAIRS['5shot_gate_table2_seeds5_9']
PAIRS['5shot_pgate'] = [
    'method gate, gated prediction:labeled-only AV +auxsum, gated prediction',
    'V+A+Tube+C gate, gated prediction:labeled-only AV +auxsum, gated prediction',
    'method gate, gated prediction:V+A+Tube+C gate, gated prediction',
    'labeled-only AV +auxsum, gated prediction:labeled-only AV +auxsum',
    'method gate, gated prediction:method gate',
]
PAIRS['5shot_pgate_seeds5_14'] = PAIRS['5shot_pgate']
PAIRS['5shot_pgate_seeds0_14'] = PAIRS['5shot_pgate']
PAIRS['1shot_gate'] = [
    'method +auxsum mdrop gate:labeled-only AV +auxsum mdrop',
    'V+A+Tube+C +auxsum mdrop gate:labeled-only AV +auxsum mdrop',
    'method +auxsum mdrop gate:V+A+Tube+C +auxsum mdrop gate',
    'method +auxsum mdrop gate:method +auxsum mdrop',
    'V+A+Tube+C +auxsum mdrop gate:V+A+Tube+C +auxsum mdrop',
]
PAIRS['1shot_gate_seeds5_9'] = PAIRS['1shot_gate']
PAIRS['1shot_gate_seeds0_9'] = PAIRS['1shot_gate']
PAIRS['1shot_gate_table2'] = [
    *_GATED_TABLE2_STEPS,
    'V+A+Tube gate:V+A+Tube +auxsum mdrop',
    'V+A+ASL gate:V+A+ASL +auxsum mdrop',
    'method gate:labeled-only AV +auxsum mdrop',
]
PAIRS['5shot_aux_w2_vpres'] = [
    'method +auxsum w2 vpres:labeled-only AV +auxsum vpres',
    'V+A+Tube+C +auxsum w2 vpres:labeled-only AV +auxsum vpres',
    'method +auxsum w2 vpres:V+A+Tube+C +auxsum w2 vpres',
    'labeled-only AV +auxsum vpres:labeled-only AV +auxsum',
    'V+A+Tube+C +auxsum w2 vpres:V+A+Tube+C +auxsum w2',
    'method +auxsum w2 vpres:method +auxsum w2',
    'method +auxsum w2 vpres:labeled-only AV +auxsum',
]
PAIRS['5shot_aux_w2_loc_seeds10_14'] = [
    'method +auxsum w2 long loc.:V+A+Tube+C +auxsum w2',
    'method +auxsum w2 long loc.:labeled-only AV +auxsum',
    'V+A+Tube+C +auxsum w2:labeled-only AV +auxsum',
    'method +auxsum w2:V+A+Tube+C +auxsum w2',
    'method +auxsum w2:labeled-only AV +auxsum',
    'method +auxsum w2 long loc.:method +auxsum w2',
]
PAIRS['1shot_vdata'] = [
    'SVFormer-Flex:labeled-only V',
    'SVFormer-Flex pulse:labeled-only V pulse',
    # the source-pulse rows from the clip TimeSformer start
    'SVFormer-Flex pulse clip:labeled-only V pulse clip',
    'labeled-only V pulse clip:labeled-only V pulse',
    'SVFormer-Flex pulse clip:SVFormer-Flex pulse',
    'SVFormer oracle pulse clip:labeled-only V pulse clip',
    'SVFormer-Flex solo:labeled-only V solo',
    'labeled-only V pulse:labeled-only V',
    'labeled-only V solo:labeled-only V',
]
PAIRS['5shot_vdata'] = [
    'SVFormer-Flex:labeled-only V',
    'SVFormer oracle:labeled-only V',
    'SVFormer-Flex pulse:labeled-only V pulse',
    'SVFormer-Flex pulse clip:labeled-only V pulse clip',
    'labeled-only V pulse clip:labeled-only V pulse',
    'SVFormer-Flex pulse clip:SVFormer-Flex pulse',
    'SVFormer oracle pulse clip:labeled-only V pulse clip',
    'SVFormer oracle pulse:labeled-only V pulse',
    'SVFormer-Flex solo:labeled-only V solo',
    'labeled-only V pulse:labeled-only V',
    'labeled-only V solo:labeled-only V',
]
PAIRS['1shot_oracle_v'] = [
    'SVFormer-Flex:labeled-only V',
    'SVFormer oracle:labeled-only V',
    'SVFormer oracle:SVFormer-Flex',
]
PAIRS['1shot_vdata_solo_seeds5_9'] = ['SVFormer-Flex solo:labeled-only V solo']
PAIRS['1shot_vdata_solo_seeds0_9'] = PAIRS['1shot_vdata_solo_seeds5_9']
PAIRS['1shot_solo_table2'] = [
    'SVFormer-Flex solo:labeled-only V solo',
    'method solo:labeled-only AV solo',
    'V+A+Tube+C solo:labeled-only AV solo',
    'method solo:V+A+Tube+C solo',
    'V+A+Tube+C solo:V+A+Tube solo',
    'method solo:V+A+ASL solo',
    'V+A+ASL solo:V+A+Tube solo',
    'labeled-only AV solo:labeled-only V solo',
]
PAIRS['1shot_randaug'] = [
    'SVFormer-Flex randaug:labeled-only V',
    'method gate randaug:labeled-only AV +auxsum mdrop',
    'V+A+Tube+C gate randaug:labeled-only AV +auxsum mdrop',
    'method gate randaug:V+A+Tube+C gate randaug',
    'SVFormer-Flex randaug:SVFormer-Flex',
    'method gate randaug:method gate',
    'V+A+Tube+C gate randaug:V+A+Tube+C gate',
]
# the same steps between the rows' 800-iteration variants ('A:B' -> 'A 800 it:B 800 it')
_GATED_TABLE2_STEPS_IT800 = [
    pair.replace(':', ' 800 it:') + ' 800 it' for pair in _GATED_TABLE2_STEPS
]
PAIRS['1shot_gate_table2_it800'] = [
    *_GATED_TABLE2_STEPS_IT800,
    *_GATED_TABLE2_STEPS,
    'V+A+Tube gate 800 it:labeled-only AV +auxsum mdrop 800 it',
    'V+A+ASL gate 800 it:labeled-only AV +auxsum mdrop 800 it',
    'V+A+Tube gate 800 it:V+A+Tube gate',
    'V+A+ASL gate 800 it:V+A+ASL gate',
]
PAIRS['1shot_grid_it800'] = [
    'SVFormer-Flex 800 it:labeled-only V 800 it',
    'SVFormer-Fix 800 it:labeled-only V 800 it',
    'SVFormer-Flex 800 it:SVFormer-Fix 800 it',
    'labeled-only AV +auxsum mdrop 800 it:labeled-only V 800 it',
    'labeled-only AV +auxsum mdrop 800 it:labeled-only A 800 it',
    'V+A+Tube gate 800 it:labeled-only AV +auxsum mdrop 800 it',
    'V+A+Tube+C gate 800 it:labeled-only AV +auxsum mdrop 800 it',
    'V+A+ASL gate 800 it:labeled-only AV +auxsum mdrop 800 it',
    'method gate 800 it:labeled-only AV +auxsum mdrop 800 it',
    'V+A+Tube+C gate 800 it:labeled-only A 800 it',
    'method gate 800 it:labeled-only A 800 it',
    'V+A+Tube gate 800 it:SVFormer-Flex 800 it',
    *_GATED_TABLE2_STEPS_IT800,
]
PAIRS['1shot_v_it800_seeds5_9'] = ['SVFormer-Flex 800 it:labeled-only V 800 it']
PAIRS['1shot_v_it800_seeds0_9'] = PAIRS['1shot_v_it800_seeds5_9']
PAIRS['1shot_grid_it800_seeds5_9'] = PAIRS['1shot_grid_it800']
PAIRS['1shot_grid_it800_seeds0_9'] = PAIRS['1shot_grid_it800_seeds5_9']
PAIRS['1shot_srcpool'] = [
    'method srcpool:labeled-only AV srcpool',
    'V+A+Tube+C srcpool:labeled-only AV srcpool',
    'method srcpool:V+A+Tube+C srcpool',
    'labeled-only AV srcpool:labeled-only AV +auxsum mdrop 800 it',
    'V+A+Tube+C srcpool:V+A+Tube+C gate 800 it',
    'method srcpool:method gate 800 it',
    'method srcpool:labeled-only A 800 it',
]
PAIRS['1shot_frozenenc'] = [
    'method frozenenc:labeled-only AV frozenenc',
    'V+A+Tube+C frozenenc:labeled-only AV frozenenc',
    'method frozenenc:V+A+Tube+C frozenenc',
    'labeled-only AV frozenenc:labeled-only AV srcpool',
    'V+A+Tube+C frozenenc:V+A+Tube+C srcpool',
    'method frozenenc:method srcpool',
    'method frozenenc:labeled-only AV +auxsum mdrop 800 it',
]
PAIRS['1shot_imprint'] = [
    'method imprint:labeled-only AV imprint',
    'V+A+Tube+C imprint:labeled-only AV imprint',
    'method imprint:V+A+Tube+C imprint',
    'labeled-only AV imprint:labeled-only AV frozenenc',
    'V+A+Tube+C imprint:V+A+Tube+C frozenenc',
    'method imprint:method frozenenc',
    'method imprint frozen lr01:labeled-only AV imprint frozen lr01',
]
PAIRS['1shot_imprint_table2'] = [
    'SVFormer-Flex imprint:labeled-only V imprint',
    'SVFormer-Fix imprint:labeled-only V imprint',
    'method imprint:labeled-only AV imprint',
    'method imprint:V+A+Tube+C imprint',
    'V+A+Tube+C imprint:labeled-only AV imprint',
    'V+A+Tube imprint:labeled-only AV imprint',
    'V+A+ASL imprint:V+A+Tube imprint',
    'method imprint:V+A+ASL imprint',
    'V+A+Tube+C imprint:V+A+Tube imprint',
    'method imprint:labeled-only A imprint',
    'labeled-only AV imprint:labeled-only A imprint',
]
PAIRS['1shot_imprint_seeds5_9'] = [
    'method imprint:labeled-only AV imprint',
    'V+A+Tube+C imprint:labeled-only AV imprint',
    'method imprint:V+A+Tube+C imprint',
]
PAIRS['1shot_imprint_seeds0_9'] = PAIRS['1shot_imprint_seeds5_9']
PAIRS['5shot_imprint'] = [
    'method imprint:labeled-only AV imprint',
    'V+A+Tube+C imprint:labeled-only AV imprint',
    'method imprint:V+A+Tube+C imprint',
    'SVFormer-Flex imprint:labeled-only V imprint',
    'labeled-only AV imprint:labeled-only AV, gated prediction',
    'V+A+Tube+C imprint:V+A+Tube+C gate, gated prediction',
    'method imprint:method gate, gated prediction',
    'SVFormer-Flex imprint:SVFormer-Flex',
    'labeled-only V imprint:labeled-only V',
]
PAIRS['5shot_imprint_w05'] = [
    'method imprint w05:labeled-only AV imprint',
    'V+A+Tube+C imprint w05:labeled-only AV imprint',
    'method imprint w05:V+A+Tube+C imprint w05',
    'SVFormer-Flex imprint w05:labeled-only V imprint',
    'method imprint w05:method imprint',
    'V+A+Tube+C imprint w05:V+A+Tube+C imprint',
    'SVFormer-Flex imprint w05:SVFormer-Flex imprint',
]
PAIRS['1shot_it800'] = [
    'SVFormer-Flex 800 it:labeled-only V 800 it',
    'SVFormer-Flex:labeled-only V',
    'method gate 800 it:labeled-only AV +auxsum mdrop 800 it',
    'method gate:labeled-only AV +auxsum mdrop',
    'V+A+Tube+C gate 800 it:labeled-only AV +auxsum mdrop 800 it',
    'method gate 800 it:V+A+Tube+C gate 800 it',
    'method gate:V+A+Tube+C gate',
    'labeled-only V 800 it:labeled-only V',
    'SVFormer-Flex 800 it:SVFormer-Flex',
    'labeled-only AV +auxsum mdrop 800 it:labeled-only AV +auxsum mdrop',
    'method gate 800 it:method gate',
    'V+A+Tube+C gate 800 it:V+A+Tube+C gate',
]
# the pooled tables compare the same rows as the fresh-seed ones
PAIRS['1shot_solo_table2_seeds0_4'] = PAIRS['1shot_solo_table2']
PAIRS['5shot_aux_w2_seeds0_9'] = PAIRS['5shot_aux_w2_seeds5_9']
PAIRS['5shot_aux_w2_loc_seeds0_9'] = PAIRS['5shot_aux_w2_loc_seeds5_9']
PAIRS['5shot_aux_w2_loc_seeds0_14'] = PAIRS['5shot_aux_w2_loc_seeds10_14']
ROWS = {
    '1shot': 'tools/experiments/table2_rows.json',
    '5shot': 'tools/experiments/table2_rows_5shot.json',
    '1shot_aux': 'tools/experiments/table2_rows_1shot_aux.json',
    '1shot_loc': 'tools/experiments/table2_rows_1shot_loc.json',
    '5shot_fixed': 'tools/experiments/table2_rows_5shot_fixed.json',
    '5shot_oracle': 'tools/experiments/table2_rows_5shot_oracle.json',
    '5shot_aux': 'tools/experiments/table2_rows_5shot_aux.json',
    '5shot_aux_w2': 'tools/experiments/table2_rows_5shot_aux_w2.json',
    '5shot_aux_w2_seeds5_9': 'tools/experiments/table2_rows_5shot_aux_w2_seeds.json',
    '5shot_aux_w2_seeds0_9': 'tools/experiments/table2_rows_5shot_aux_w2_seeds.json',
    '5shot_aux_w4': 'tools/experiments/table2_rows_5shot_aux_w4.json',
    '5shot_aux_w2_loc': 'tools/experiments/table2_rows_5shot_aux_w2_loc.json',
    '5shot_aux_w2_loc_seeds5_9': 'tools/experiments/table2_rows_5shot_aux_w2_loc_seeds.json',
    '5shot_aux_w2_loc_seeds0_9': 'tools/experiments/table2_rows_5shot_aux_w2_loc_seeds.json',
    '5shot_aux_w2_scratch': 'tools/experiments/table2_rows_5shot_aux_w2_scratch.json',
    '5shot_aux_w2_loc_seeds10_14': 'tools/experiments/table2_rows_5shot_aux_w2_loc_seeds10_14.json',
    '5shot_aux_w2_loc_seeds0_14': 'tools/experiments/table2_rows_5shot_aux_w2_loc_seeds10_14.json',
    '1shot_scratch': 'tools/experiments/table2_rows_1shot_scratch.json',
    '1shot_mdrop': 'tools/experiments/table2_rows_1shot_mdrop.json',
    '1shot_mdrop_seeds5_9': 'tools/experiments/table2_rows_1shot_mdrop_seeds.json',
    '1shot_mdrop_seeds0_9': 'tools/experiments/table2_rows_1shot_mdrop_seeds.json',
    '5shot_aux_w2_vpres': 'tools/experiments/table2_rows_5shot_aux_w2_vpres.json',
    '5shot_aux_w2_vw': 'tools/experiments/table2_rows_5shot_aux_w2_vw.json',
    'label_budgets': 'tools/experiments/table2_rows_label_budgets.json',
    'label_budgets_seeds5_9': 'tools/experiments/table2_rows_label_budgets_seeds.json',
    '5shot_aux_w2_loc_oracle': 'tools/experiments/table2_rows_5shot_aux_w2_loc_oracle.json',
    '5shot_gate': 'tools/experiments/table2_rows_5shot_gate.json',
    '5shot_gate_seeds5_9': 'tools/experiments/table2_rows_5shot_gate.json',
    '5shot_gate_seeds0_9': 'tools/experiments/table2_rows_5shot_gate.json',
    '5shot_gate_seeds10_14': 'tools/experiments/table2_rows_5shot_gate.json',
    '5shot_gate_seeds0_14': 'tools/experiments/table2_rows_5shot_gate.json',
    '5shot_gate_table2': 'tools/experiments/table2_rows_5shot_gate_table2.json',
    '5shot_gate_table2_seeds5_9': 'tools/experiments/table2_rows_5shot_gate_table2_fresh.json',
    '5shot_gate_table2_seeds0_9': 'tools/experiments/table2_rows_5shot_gate_table2_fresh.json',
    '5shot_gate_table2_seeds10_14': 'tools/experiments/table2_rows_5shot_gate_table2_fresh.json',
    '5shot_gate_table2_seeds0_14': 'tools/experiments/table2_rows_5shot_gate_table2_fresh.json',
    '5shot_pgate': 'tools/experiments/table2_rows_5shot_pgate.json',
    '5shot_pgate_seeds5_14': 'tools/experiments/table2_rows_5shot_pgate.json',
    '5shot_pgate_seeds0_14': 'tools/experiments/table2_rows_5shot_pgate.json',
    '1shot_gate': 'tools/experiments/table2_rows_1shot_gate.json',
    '1shot_gate_table2': 'tools/experiments/table2_rows_1shot_gate_table2.json',
    '1shot_gate_seeds5_9': 'tools/experiments/table2_rows_1shot_gate.json',
    '1shot_gate_seeds0_9': 'tools/experiments/table2_rows_1shot_gate.json',
    '1shot_vdata': 'tools/experiments/table2_rows_1shot_vdata.json',
    '5shot_vdata': 'tools/experiments/table2_rows_5shot_vdata.json',
    '1shot_vdata_solo_seeds5_9': 'tools/experiments/table2_rows_1shot_vdata_solo.json',
    '1shot_vdata_solo_seeds0_9': 'tools/experiments/table2_rows_1shot_vdata_solo.json',
    '1shot_solo_table2': 'tools/experiments/table2_rows_1shot_solo_table2.json',
    '1shot_oracle_v': 'tools/experiments/table2_rows_1shot_oracle_v.json',
    '1shot_solo_table2_seeds0_4': 'tools/experiments/table2_rows_1shot_solo_table2_seeds.json',
    '1shot_randaug': 'tools/experiments/table2_rows_1shot_randaug.json',
    '1shot_it800': 'tools/experiments/table2_rows_1shot_it800.json',
    '1shot_gate_table2_it800': 'tools/experiments/table2_rows_1shot_gate_table2_it800.json',
    '1shot_grid_it800': 'tools/experiments/table2_rows_1shot_grid_it800.json',
    '1shot_v_it800_seeds5_9': 'tools/experiments/table2_rows_1shot_v_it800.json',
    '1shot_v_it800_seeds0_9': 'tools/experiments/table2_rows_1shot_v_it800.json',
    '1shot_grid_it800_seeds5_9': 'tools/experiments/table2_rows_1shot_grid_it800.json',
    '1shot_grid_it800_seeds0_9': 'tools/experiments/table2_rows_1shot_grid_it800.json',
    '1shot_srcpool': 'tools/experiments/table2_rows_1shot_srcpool.json',
    '1shot_frozenenc': 'tools/experiments/table2_rows_1shot_frozenenc.json',
    '1shot_imprint': 'tools/experiments/table2_rows_1shot_imprint.json',
    '1shot_imprint_table2': 'tools/experiments/table2_rows_1shot_imprint_table2.json',
    '1shot_imprint_seeds5_9': 'tools/experiments/table2_rows_1shot_imprint_goals.json',
    '1shot_imprint_seeds0_9': 'tools/experiments/table2_rows_1shot_imprint_goals.json',
    '5shot_imprint': 'tools/experiments/table2_rows_5shot_imprint.json',
    '5shot_imprint_w05': 'tools/experiments/table2_rows_5shot_imprint_w05.json',
}
# the seeds a budget's table reads (all the work dirs and the ledger hold when absent): the
# 3-seed 5-shot tables keep seeds 0-2 (labeled-only AV also has 3 and 4, for the 5-seed rows
# with the heads), the heads' tables their protocol seeds 0-4 when fresh seeds are added
SEEDS = {
    '5shot': [0, 1, 2],
    '5shot_fixed': [0, 1, 2],
    '5shot_oracle': [0, 1, 2],
    '5shot_aux': list(range(5)),
    '5shot_aux_w2': list(range(5)),
    '5shot_aux_w2_seeds5_9': list(range(5, 10)),
    '5shot_aux_w2_seeds0_9': list(range(10)),
    '5shot_aux_w4': list(range(5)),
    '5shot_aux_w2_loc': list(range(5)),
    '5shot_aux_w2_loc_seeds5_9': list(range(5, 10)),
    '5shot_aux_w2_loc_seeds0_9': list(range(10)),
    '5shot_aux_w2_scratch': [0, 1, 2],
    '5shot_aux_w2_loc_seeds10_14': list(range(10, 15)),
    '5shot_aux_w2_loc_seeds0_14': list(range(15)),
    '1shot_scratch': [0, 1, 2],
    '1shot_mdrop': list(range(5)),
    '1shot_mdrop_seeds5_9': list(range(5, 10)),
    '1shot_mdrop_seeds0_9': list(range(10)),
    '5shot_aux_w2_vpres': list(range(5)),
    '5shot_aux_w2_vw': list(range(5)),
    'label_budgets': list(range(5)),
    'label_budgets_seeds5_9': list(range(5, 10)),
    '5shot_aux_w2_loc_oracle': list(range(5)),
    '5shot_gate': list(range(5)),
    '5shot_gate_seeds5_9': list(range(5, 10)),
    '5shot_gate_seeds0_9': list(range(10)),
    '5shot_gate_seeds10_14': list(range(10, 15)),
    '5shot_gate_seeds0_14': list(range(15)),
    '5shot_gate_table2': list(range(5)),
    '5shot_gate_table2_seeds5_9': list(range(5, 10)),
    '5shot_gate_table2_seeds0_9': list(range(10)),
    '5shot_gate_table2_seeds10_14': list(range(10, 15)),
    '5shot_gate_table2_seeds0_14': list(range(15)),
    '5shot_pgate': list(range(5)),
    '5shot_pgate_seeds5_14': list(range(5, 15)),
    '5shot_pgate_seeds0_14': list(range(15)),
    '1shot_gate': list(range(5)),
    '1shot_gate_table2': list(range(5)),
    '1shot_gate_seeds5_9': list(range(5, 10)),
    '1shot_gate_seeds0_9': list(range(10)),
    '1shot_vdata': list(range(5)),
    '5shot_vdata': list(range(5)),
    '1shot_vdata_solo_seeds5_9': list(range(5, 10)),
    '1shot_vdata_solo_seeds0_9': list(range(10)),
    '1shot_solo_table2': [0, 1, 2],
    '1shot_oracle_v': list(range(5)),
    '1shot_solo_table2_seeds0_4': list(range(5)),
    '1shot_randaug': list(range(5)),
    '1shot_it800': list(range(5)),
    '1shot_gate_table2_it800': [0, 1, 2],
    '1shot_grid_it800': list(range(5)),
    '1shot_v_it800_seeds5_9': list(range(5, 10)),
    '1shot_v_it800_seeds0_9': list(range(10)),
    '1shot_grid_it800_seeds5_9': list(range(5, 10)),
    '1shot_grid_it800_seeds0_9': list(range(10)),
    '1shot_srcpool': list(range(5)),
    '1shot_frozenenc': list(range(5)),
    '1shot_imprint': list(range(5)),
    '1shot_imprint_table2': list(range(5)),
    '1shot_imprint_seeds5_9': list(range(5, 10)),
    '1shot_imprint_seeds0_9': list(range(10)),
    '5shot_imprint': [0, 1, 2],
    '5shot_imprint_w05': [0, 1, 2],
}
TITLES = {
    '1shot': 'SynthAV 1-shot',
    '5shot': 'SynthAV 5-shot',
    '1shot_aux': 'SynthAV 1-shot, aux heads',
    '1shot_loc': 'SynthAV 1-shot, localizer and mask diagnostics',
    '5shot_fixed': 'SynthAV 5-shot, fixed threshold 0.7',
    '5shot_oracle': 'SynthAV 5-shot, oracle pseudo-labels',
    '5shot_aux': 'SynthAV 5-shot, late-fusion aux heads',
    '5shot_aux_w2': 'SynthAV 5-shot, aux heads, unlabeled weight 2',
    '5shot_aux_w2_seeds5_9': 'SynthAV 5-shot, aux heads, weight 2, seeds 5-9',
    '5shot_aux_w2_seeds0_9': 'SynthAV 5-shot, aux heads, weight 2, seeds 0-9',
    '5shot_aux_w4': 'SynthAV 5-shot, aux heads, unlabeled weight 4',
    '5shot_aux_w2_loc': 'SynthAV 5-shot, aux heads, weight 2, localizer and mask diagnostics',
    '5shot_aux_w2_loc_seeds5_9': 'SynthAV 5-shot, weight 2, localizer and lambda, seeds 5-9',
    '5shot_aux_w2_loc_seeds0_9': 'SynthAV 5-shot, weight 2, localizer and lambda, seeds 0-9',
    '5shot_aux_w2_scratch': 'SynthAV 5-shot, aux heads, weight 2, pretrained and from scratch',
    '5shot_aux_w2_loc_seeds10_14': 'SynthAV 5-shot, weight 2, both localizers, seeds 10-14',
    '5shot_aux_w2_loc_seeds0_14': 'SynthAV 5-shot, weight 2, both localizers, seeds 0-14',
    '1shot_scratch': 'SynthAV 1-shot, pretrained and from scratch',
    '1shot_mdrop': 'SynthAV 1-shot, aux heads, modality dropout 0.5',
    '1shot_mdrop_seeds5_9': 'SynthAV 1-shot, aux heads, modality dropout 0.5, seeds 5-9',
    '1shot_mdrop_seeds0_9': 'SynthAV 1-shot, aux heads, modality dropout 0.5, seeds 0-9',
    '5shot_aux_w2_vpres': 'SynthAV 5-shot, aux heads, weight 2, presence-pretrained video start',
    '5shot_aux_w2_vw': 'SynthAV 5-shot, aux heads, weight 2, video classifier at half weight',
    'label_budgets': 'SynthAV, 1 to 5 labels per class, the 5-shot recipe',
    'label_budgets_seeds5_9': 'SynthAV, 3 labels per class, the 5-shot recipe, seeds 5-9',
    '5shot_aux_w2_loc_oracle': 'SynthAV 5-shot, aux heads, weight 2, oracle pseudo-labels',
    '5shot_gate': 'SynthAV 5-shot, aux heads, weight 2, audio-gated pseudo-labels',
    '5shot_gate_seeds5_9': 'SynthAV 5-shot, weight 2, audio-gated pseudo-labels, seeds 5-9',
    '5shot_gate_seeds0_9': 'SynthAV 5-shot, weight 2, audio-gated pseudo-labels, seeds 0-9',
    '5shot_gate_seeds10_14': 'SynthAV 5-shot, weight 2, audio-gated pseudo-labels, seeds 10-14',
    '5shot_gate_seeds0_14': 'SynthAV 5-shot, weight 2, audio-gated pseudo-labels, seeds 0-14',
    '5shot_gate_table2': 'SynthAV 5-shot, weight 2, audio gate: Table 2 rows',
    '5shot_gate_table2_seeds5_9': 'SynthAV 5-shot, audio gate: Table 2 rows, fresh seeds 5-9',
    '5shot_gate_table2_seeds0_9': 'SynthAV 5-shot, audio gate: Table 2 rows, seeds 0-9',
    '5shot_gate_table2_seeds10_14': 'SynthAV 5-shot, audio gate: Table 2 rows, seeds 10-14',
    '5shot_gate_table2_seeds0_14': 'SynthAV 5-shot, audio gate: Table 2 rows, seeds 0-14',
    '5shot_pgate': 'SynthAV 5-shot, weight 2, the audio gate in every prediction',
    '5shot_pgate_seeds5_14': 'SynthAV 5-shot, the audio gate in every prediction, seeds 5-14',
    '5shot_pgate_seeds0_14': 'SynthAV 5-shot, the audio gate in every prediction, seeds 0-14',
    '1shot_gate': 'SynthAV 1-shot, aux heads, modality dropout, audio-gated pseudo-labels',
    '1shot_gate_table2': 'SynthAV 1-shot, heads, modality dropout, audio gate: Table 2 rows',
    '1shot_gate_seeds5_9': 'SynthAV 1-shot, heads, modality dropout, audio gate, seeds 5-9',
    '1shot_gate_seeds0_9': 'SynthAV 1-shot, heads, modality dropout, audio gate, seeds 0-9',
    '1shot_vdata': 'SynthAV 1-shot, video only, on data whose frames can name the class',
    '5shot_vdata': 'SynthAV 5-shot, video only, on data whose frames can name the class',
    '1shot_vdata_solo_seeds5_9': 'SynthAV one object per clip, 1-shot, video only, seeds 5-9',
    '1shot_vdata_solo_seeds0_9': 'SynthAV one object per clip, 1-shot, video only, seeds 0-9',
    '1shot_solo_table2': 'SynthAV one object per clip, 1-shot: Table 2 rows',
    '1shot_oracle_v': 'SynthAV 1-shot, video only, oracle pseudo-labels',
    '1shot_solo_table2_seeds0_4': 'SynthAV one object per clip, 1-shot: Table 2 rows, seeds 0-4',
    '1shot_randaug': 'SynthAV 1-shot, RandAugment on the strong view (chosen on val)',
    '1shot_it800': 'SynthAV 1-shot, 800 iterations (chosen on val)',
    '1shot_gate_table2_it800': 'SynthAV 1-shot, gated Table 2 rows, 800 iterations (chosen on val)',
    '1shot_grid_it800': 'SynthAV 1-shot, the whole grid, 800 iterations (chosen on val)',
    '1shot_v_it800_seeds5_9': 'SynthAV 1-shot, video only, 800 iterations, seeds 5-9',
    '1shot_v_it800_seeds0_9': 'SynthAV 1-shot, video only, 800 iterations, seeds 0-9',
    '1shot_grid_it800_seeds5_9': 'SynthAV 1-shot, the grid, 800 iterations, seeds 5-9',
    '1shot_grid_it800_seeds0_9': 'SynthAV 1-shot, the grid, 800 iterations, seeds 0-9',
    '1shot_srcpool': 'SynthAV 1-shot, 800 iterations, the source-pooling fusion',
    '1shot_frozenenc': 'SynthAV 1-shot, 800 iterations, source pooling, encoders frozen',
    '1shot_imprint': 'SynthAV 1-shot, 800 iterations, imprinted cosine head, encoders fine-tuned',
    '1shot_imprint_table2': 'SynthAV 1-shot, Table 2 with the imprinted cosine head',
    '1shot_imprint_seeds5_9': 'SynthAV 1-shot, imprinted cosine head, goal rows, seeds 5-9',
    '1shot_imprint_seeds0_9': 'SynthAV 1-shot, imprinted cosine head, goal rows, seeds 0-9',
    '5shot_imprint': 'SynthAV 5-shot, imprinted cosine head (chosen on 5-shot val), 3 seeds',
    '5shot_imprint_w05': 'SynthAV 5-shot, imprinted head, unlabeled losses from 200 at 0.5',
}


def report_args(budget: str, ledger: str | Path = LEDGER) -> list[str]:
    """``table2_report.py`` arguments of one budget's tables: rows, pairs, seeds, ledger."""
    args = ['--rows', str(REPO / ROWS[budget]), '--pairs', *PAIRS[budget]]
    if budget in SEEDS:
        args += ['--seeds', *map(str, SEEDS[budget])]
    return args + ['--ledger', str(ledger)]


def report_markdown(work_root: str, budget: str, ledger: str | Path = LEDGER) -> str:
    """The tables ``table2_report.py`` prints for one label budget (its chart is redrawn)."""
    spec = importlib.util.spec_from_file_location(
        'table2_report', REPO / 'tools' / 'analysis' / 'table2_report.py'
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        module.main(
            ['--work-root', work_root, *report_args(budget, ledger)]
            + ['--chart', str(REPO / 'docs' / 'figures' / f'table2_synthav_{budget}.png')]
            + ['--title', f'{TITLES[budget]} test top-1 (teacher), mean +- std']
            + ['--json', str(Path(work_root) / f'table2_{budget}.json')]
        )
    return '\n'.join(line for line in out.getvalue().splitlines() if not line.startswith('wrote'))


def fill(text: str, marker: str, body: str) -> str:
    """Replace what lies between ``<!-- marker -->`` and ``<!-- /marker -->``."""
    pattern = re.compile(rf'(<!-- {marker} -->\n).*?(<!-- /{marker} -->)', re.S)
    if not pattern.search(text):
        raise KeyError(f'marker <!-- {marker} --> not found in {DOC}')
    return pattern.sub(lambda m: m.group(1) + body.strip() + '\n' + m.group(2), text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--work-root', default=str(REPO / 'work_dirs' / 'table2'))
    parser.add_argument('--doc', default=str(DOC))
    parser.add_argument(
        '--ledger', default=str(LEDGER), help='committed results of cells without a work dir'
    )
    parser.add_argument(
        '--budgets',
        nargs='+',
        choices=sorted(ROWS),
        default=list(ROWS),
        help='refresh only these tables and charts (default: all)',
    )
    args = parser.parse_args(argv)
    doc = Path(args.doc)
    text = doc.read_text()
    for budget in args.budgets:
        text = fill(text, f'table2-{budget}', report_markdown(args.work_root, budget, args.ledger))
    doc.write_text(text)
    print(f'updated {doc}')
    return 0


if __name__ == '__main__':
    raise SystemExit(main())

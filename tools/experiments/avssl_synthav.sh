#!/usr/bin/env bash
# The paper's Table 2 rows and sweeps on SynthAV 1-shot (tiny CPU configs), one run per cell,
# finished cells skipped when rerun (tools/experiments/run_grid.py). Results:
# work_dirs/avssl_synthav/results_*.json; SVFormer-Flex (V+Tube) comes from
# tools/experiments/svformer_synthav.sh.
#   STAGE=localizer  the FNAC short schedule (the ASL configs read its last checkpoint)
#   STAGE=core       the method (V+A+ASL+C) and V+A+Tube+C, seed 0
#   STAGE=rows       V+A+ASL, V+A+Tube and the labeled-only A / AV lower bounds, seed 0
#   STAGE=seeds      the method and V+A+Tube+C, seeds 1 and 2
#   STAGE=sweeps     the method with tau 0.1 / 0.95 and with maps averaged over 8 frames
#   STAGE=all        all of the above, in this order (default)
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-python}
STAGE=${STAGE:-all}
ROOT=work_dirs/avssl_synthav
grid() { $PY tools/experiments/run_grid.py --work-root $ROOT "$@"; }

if [[ $STAGE == localizer || $STAGE == all ]]; then
  if [[ ! -f work_dirs/fnac_r18_synthav_short/iter_360.pth ]]; then
    $PY tools/train.py configs/fnac_r18_synthav_short.py
  fi
fi
if [[ $STAGE == core || $STAGE == all ]]; then
  grid --configs configs/avssl_tiny_synthav_1shot.py configs/avssl_tiny_synthav_1shot_tube_contrast.py \
    --seeds 0 --out $ROOT/results_core.json
fi
if [[ $STAGE == rows || $STAGE == all ]]; then
  grid --configs configs/avssl_tiny_synthav_1shot_asl.py configs/avssl_tiny_synthav_1shot_tube.py \
    configs/sup_tiny_synthav_1shot_av.py configs/sup_tiny_synthav_1shot_a.py \
    --seeds 0 --out $ROOT/results_rows.json
fi
if [[ $STAGE == seeds || $STAGE == all ]]; then
  grid --configs configs/avssl_tiny_synthav_1shot.py configs/avssl_tiny_synthav_1shot_tube_contrast.py \
    --seeds 0 1 2 --out $ROOT/results_seeds.json
fi
if [[ $STAGE == sweeps || $STAGE == all ]]; then
  grid --configs configs/ablations/avssl_tiny_synthav_1shot_tau0_1.py \
    configs/ablations/avssl_tiny_synthav_1shot_tau0_95.py \
    configs/ablations/avssl_tiny_synthav_1shot_avg8.py \
    --seeds 0 --out $ROOT/results_sweeps.json
fi

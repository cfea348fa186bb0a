#!/usr/bin/env bash
# SVFormer baseline on SynthAV 1-shot: labeled-only lower bound and SVFormer-Flex over 3 seeds,
# SVFormer-Fix over 1. Finished runs are skipped when rerun.
# Results: work_dirs/svformer_synthav/results*.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-python}
SEEDS=${SEEDS:-0 1 2}
$PY tools/experiments/run_grid.py --work-root work_dirs/svformer_synthav \
  --configs configs/sup_tiny_synthav_1shot_v.py configs/svformer_tiny_synthav_1shot_flex.py \
  --seeds $SEEDS --out work_dirs/svformer_synthav/results.json
$PY tools/experiments/run_grid.py --work-root work_dirs/svformer_synthav \
  --configs configs/svformer_tiny_synthav_1shot_fix.py --seeds 0 \
  --out work_dirs/svformer_synthav/results_fix.json

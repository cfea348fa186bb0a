#!/usr/bin/env bash
# Issue "Foundation 2" measurements on SynthAV: supervised top-1 of the tiny audio-visual model
# (full train list and 5-shot) and the modality check (video only, audio only, both; 3 seeds).
# Finished runs are skipped when rerun. Results: work_dirs/modality_check/results*.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-python}
$PY tools/experiments/run_grid.py --work-root work_dirs/modality_check \
  --configs configs/sup_tiny_synthav_full_av.py configs/sup_tiny_synthav_full_v.py \
            configs/sup_tiny_synthav_full_a.py \
  --seeds 0 1 2 --out work_dirs/modality_check/results.json
$PY tools/experiments/run_grid.py --work-root work_dirs/modality_check \
  --configs configs/sup_tiny_synthav_5shot_av.py --seeds 0 \
  --out work_dirs/modality_check/results_5shot.json

"""Analysis helpers behind ``tools/analysis/``: FLOPs, step timing, mask diagnostics."""

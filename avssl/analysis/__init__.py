"""Analysis helpers behind ``tools/analysis/``: FLOPs, step timing, mask and map diagnostics."""

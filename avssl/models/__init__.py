"""Models: recognizers, backbones, necks, heads, mixers, localizers, thresholds, losses."""

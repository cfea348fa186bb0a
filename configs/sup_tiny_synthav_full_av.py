# Supervised audio-visual lower/upper reference on SynthAV's full train list (600 clips).
_base_ = ['_base_/recipes/sup_tiny_synthav_av.py']

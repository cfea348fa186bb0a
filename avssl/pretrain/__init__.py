"""Pretraining of the tiny encoders on data disjoint from the target task.

The paper's encoders start from ImageNet (video ViT, audio ViT, FNAC's visual ResNet-18). On
the CPU the tiny configs cannot use those files, so this package trains their tiny twins on a
SynthAV set whose classes the 10-class target set does not contain (``class_offset=10``) and
saves them in the key layouts of the real files (timm ``VisionTransformer``, torchvision
``ResNet``), which the backbones load through the same code that loads ImageNet weights.

* :mod:`.clip_cache`: decode a list of clips once into frame and log-mel arrays.
* :mod:`.classifiers`: the classifiers (image ViT, audio ViT, ResNet-18, and a clip TimeSformer
  for a video start that sees time) and their heads.
* :mod:`.train_classifier`: the training loop and the evaluation on cached arrays.
* :mod:`.presence`: every object's class in a SynthAV clip (multi-label presence targets).
* :mod:`.export`: state dicts in the real files' layouts, sha256 and the manifest.
* :mod:`.av_sync`: the audio-visual synchrony task (which audio is the clip's own, against
  another clip of its class) and a no-learning correlation baseline for it, for the probe
  ``tools/pretrain/av_sync_probe.py``.
"""

from .av_sync import AVSyncNet, class_pair_batch, pulse_match, sync_partners, window_envelope
from .classifiers import (
    AudioViTClassifier,
    ClipTimeSformerClassifier,
    ImageViTClassifier,
    ResNetClassifier,
)
from .clip_cache import ClipCache, build_clip_cache
from .export import export_state_dict, sha256_file, write_manifest
from .presence import presence_recall, presence_targets, synthav_config_of
from .train_classifier import (
    ClassifierRecipe,
    clip_probabilities,
    evaluate_classifier,
    train_classifier,
)

__all__ = [
    'AVSyncNet',
    'AudioViTClassifier',
    'ClassifierRecipe',
    'ClipCache',
    'ClipTimeSformerClassifier',
    'ImageViTClassifier',
    'ResNetClassifier',
    'build_clip_cache',
    'class_pair_batch',
    'clip_probabilities',
    'evaluate_classifier',
    'export_state_dict',
    'presence_recall',
    'presence_targets',
    'pulse_match',
    'sha256_file',
    'sync_partners',
    'synthav_config_of',
    'train_classifier',
    'window_envelope',
    'write_manifest',
]

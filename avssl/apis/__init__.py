"""High-level inference: recognise the action in a video file, localise its sound source."""

from .inference import (
    AVPrediction,
    ClassScore,
    inference_av,
    init_recognizer,
    model_modalities,
    video_only_pipeline,
)
from .localization import ASLResult, clip_sampling, init_localizer, localize_av, localizer_entry

__all__ = [
    'ASLResult',
    'AVPrediction',
    'ClassScore',
    'clip_sampling',
    'inference_av',
    'init_localizer',
    'init_recognizer',
    'localize_av',
    'localizer_entry',
    'model_modalities',
    'video_only_pipeline',
]

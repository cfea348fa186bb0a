"""Audio source localizers (registered in ``avssl.registry.MODELS``): FNAC."""

from .audio_spectrogram import LogSpectrogram, random_spec_masks, tukey_window
from .fnac import FNAC, IMAGENET_MEAN, IMAGENET_STD, default_data_preprocessor
from .fnac_checkpoint import (
    FNACConversionReport,
    convert_fnac_state_dict,
    is_official_fnac_state_dict,
    load_fnac_weights,
    load_resnet_imagenet_weights,
    read_fnac_state_dict,
)
from .fnac_losses import fnac_loss_terms
from .map_smoothing import gaussian_kernel1d, smooth_maps
from .resnet_trunk import ResNet18Trunk, scaled_widths

__all__ = [
    'FNAC',
    'FNACConversionReport',
    'IMAGENET_MEAN',
    'IMAGENET_STD',
    'LogSpectrogram',
    'ResNet18Trunk',
    'convert_fnac_state_dict',
    'default_data_preprocessor',
    'fnac_loss_terms',
    'gaussian_kernel1d',
    'is_official_fnac_state_dict',
    'load_fnac_weights',
    'load_resnet_imagenet_weights',
    'random_spec_masks',
    'read_fnac_state_dict',
    'scaled_widths',
    'smooth_maps',
    'tukey_window',
]

"""Losses that need their own parameters or are shared by several models."""

from .av_contrastive_loss import AVContrastiveLoss, av_infonce

__all__ = ['AVContrastiveLoss', 'av_infonce']

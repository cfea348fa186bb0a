"""Recognizers."""

from .av_recognizer import AVRecognizer
from .av_semi_recognizer import AVSemiRecognizer

__all__ = ['AVRecognizer', 'AVSemiRecognizer']

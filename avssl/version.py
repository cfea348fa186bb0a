"""Version of the avssl package."""

__version__ = '0.1.0'

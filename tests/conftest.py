"""Shared fixtures: registration, a tiny generated SynthAV set, tiny training configs."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / 'tests'))
os.environ.setdefault('OMP_NUM_THREADS', '2')


@pytest.fixture(scope='session', autouse=True)
def _register() -> None:
    from avssl.utils import register_all_modules

    register_all_modules(init_scope=True)


@pytest.fixture(scope='session')
def tiny_synthav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small SynthAV folder (4 classes x 10 clips of 1.2 s) generated once per session."""
    from helpers import make_tiny_synthav

    return make_tiny_synthav(tmp_path_factory.mktemp('synthav') / 'synthav')

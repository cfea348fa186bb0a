"""Install avssl: ``pip install -r requirements.txt -e .``."""

from __future__ import annotations

import re
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent


def read_requirements(name: str) -> list[str]:
    """Requirement lines of ``requirements/<name>.txt`` (comments and includes dropped)."""
    lines = (HERE / 'requirements' / f'{name}.txt').read_text().splitlines()
    return [
        ln.split('#')[0].strip() for ln in lines if ln.strip() and not ln.startswith(('#', '-r'))
    ]


def read_version() -> str:
    text = (HERE / 'avssl' / 'version.py').read_text()
    match = re.search(r"__version__ = '([^']+)'", text)
    if match is None:
        raise RuntimeError('avssl/version.py has no __version__')
    return match.group(1)


setup(
    name='avssl',
    version=read_version(),
    description='Semi-supervised audio-visual video action recognition with audio source '
    'localization guided mixup (OpenMMLab-style toolkit)',
    long_description=(HERE / 'README.md').read_text(encoding='utf-8'),
    long_description_content_type='text/markdown',
    license='Apache-2.0',
    python_requires='>=3.10',
    packages=find_packages(include=['avssl', 'avssl.*']),
    install_requires=read_requirements('runtime'),
    extras_require={'tests': read_requirements('tests')},
    classifiers=[
        'Programming Language :: Python :: 3',
        'License :: OSI Approved :: Apache Software License',
        'Topic :: Scientific/Engineering :: Artificial Intelligence',
    ],
)

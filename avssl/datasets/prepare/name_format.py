"""Video file names built from annotation fields with a user-given ``str.format`` template."""

from __future__ import annotations

from typing import Any


def format_name(template: str, fields: dict[str, Any], option: str = '--name-format') -> str:
    """``template.format(**fields)``, with errors that name the option and the fields.

    Args:
        template (str): E.g. ``'{youtube_id}_{time_start:06d}_{time_end:06d}.mp4'``.
        fields (dict[str, Any]): Values of one annotation row.
        option (str): The option the template came from, for messages. Defaults to
            ``'--name-format'``.

    Returns:
        str: The file name (``/`` separated if the template has folders).

    Raises:
        ValueError: If the template names an unknown field or does not fit a value.
    """
    try:
        return template.format(**fields)
    except KeyError as exc:
        raise ValueError(
            f'{option} {template!r} uses the unknown field {exc}; available: {sorted(fields)}'
        ) from None
    except (ValueError, IndexError) as exc:
        raise ValueError(f'{option} {template!r} does not fit {fields}: {exc}') from None


def check_num_classes(names: list[str], expected: int | None, source: str) -> None:
    """Raise unless ``len(names) == expected`` (skipped when ``expected`` is None).

    Args:
        names (list[str]): The annotated classes.
        expected (int | None): ``--num-classes``.
        source (str): Where the classes come from, for the message.

    Raises:
        ValueError: Naming both counts and the source.
    """
    if expected is not None and len(names) != expected:
        raise ValueError(
            f'{source} has {len(names)} classes but --num-classes is {expected}; check the '
            'annotation file, or pass --num-classes '
            f'{len(names)} to prepare these classes anyway'
        )

"""SynthAV: the project's built-in synthetic audio-visual action data set.

Every clip shows ``1 + num_distractors`` moving, pulsing objects over a noisy background; exactly
one of them makes the sound. Design and guarantees (see ``docs/synthav.md`` for the details):

* Classes form families of two: class ``c`` has family ``f = c // 2`` and variant ``v = c % 2``
  (with an odd class count the last family has one member). A family fixes the appearance
  family (shape, plus a texture once the shapes run out) and the sound family (a timbre in a
  frequency slot of its own). The variant fixes only the colour (the two variants of a family
  have opposite hues) and does not enter the sound at all.
* Audio alone identifies the family but not the variant: at most 50% accuracy for two-member
  families. Video alone sees ``1 + num_distractors`` objects from distinct families, each a
  valid class appearance, and nothing tells which one sounds: about ``1 / (1 + num_distractors)``
  accuracy (exactly, by symmetry, with an even class count). Audio and video together reach
  100%: the sound gives the family, the one object of that family in the frame gives the colour.
* Localisation from one frame: the sound's family picks out the one object of that appearance
  family in any single frame. The source's brightness also pulses with the audio envelope
  (frame-wise mean of the envelope), an extra cue for models that see the whole clip.
* No cheap cue: the drawing order, sizes, start positions, velocities and pulse rhythms of all
  objects are drawn from one distribution and accepted by one rule that treats every object
  alike, and the sounding slot is fixed before any of that, so none of them separates source
  from distractors.
* Every object's box is a fixed-size square covering ``object_area`` (25% to 35%) of the frame
  in every frame (the pulse changes brightness, never size) and bounces inside the frame. No
  object has more than ``max_occlusion`` (half) of its pixels hidden by the objects drawn above
  it in any frame (rejection sampling). Without distractors the box's top-left corner (hence
  its centre) is uniform over the valid positions in every frame; with distractors the overlap
  limit makes central positions rarer, for every object alike.
* Clip ``i`` is generated from ``numpy.random.default_rng([seed, i])``: output does not depend on
  the number of workers.
"""

from .classes import ClassSpec, FamilySpec, build_classes, build_families
from .config import SYNTHAV_VERSION, SynthAVConfig
from .generator import COMPLETE_MARKER, ensure_synthav, existing_is_up_to_date, generate_synthav

__all__ = [
    'COMPLETE_MARKER',
    'SYNTHAV_VERSION',
    'ClassSpec',
    'FamilySpec',
    'SynthAVConfig',
    'build_classes',
    'build_families',
    'ensure_synthav',
    'existing_is_up_to_date',
    'generate_synthav',
]

"""`get_FOO_display` at the cost of a dictionary lookup.

Django's own (Model._get_FIELD_display) builds a dictionary of all the field's choices at
each call, hashing every lazy label, each hash a gettext: a page listing rows with a few
such fields spends a good part of its time there (the customer page's history). Here the
labels are read once per field and language.
"""

import functools

from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language


@functools.cache
def _labels(field, language: str | None) -> dict:
    return {make_hashable(value): force_str(label) for value, label in field.flatchoices}


class ChoiceLabels:
    """A model mixin (before models.Model in the bases): its `get_FOO_display` methods read
    the labels from the cache above, and say what Django's say."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        label = _labels(field, get_language()).get(make_hashable(value), value)
        return force_str(label, strings_only=True)

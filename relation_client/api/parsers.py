"""The API's only parser: JSON, refused whole when it could not be stored or echoed back.

JSON may spell a lone UTF-16 surrogate ("\\ud800"): Python accepts it, but it is not a
character, so PostgreSQL (and our own JSON answer quoting the value) could not encode it.
A body nested thousands of levels deep would exhaust Python's recursion. Both are a 400
naming where the problem is, before any view sees the data.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.exceptions import ErrorDetail
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32  # our deepest documented body is an object in a list in an object
INVALID_UNICODE = _("Texte invalide : caractère Unicode isolé (demi-paire de substitution).")
TOO_DEEP = _("Le corps de la requête est imbriqué trop profondément.")


def _has_lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _problem(data) -> tuple[str | None, str, str] | None:
    """(dotted path, code, message) of the first problem in the parsed data, walking it
    without recursion."""
    pending = [(data, None, 0)]
    while pending:
        value, path, depth = pending.pop()
        if depth > MAX_DEPTH:
            return path, "too_deep", TOO_DEEP
        if isinstance(value, str):
            if _has_lone_surrogate(value):
                return path, "invalid_unicode", INVALID_UNICODE
        elif isinstance(value, dict):
            for key, item in value.items():
                if _has_lone_surrogate(key):
                    return path, "invalid_unicode", INVALID_UNICODE
                pending.append((item, f"{path}.{key}" if path else key, depth + 1))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                pending.append((item, f"{path}.{index}" if path else str(index), depth + 1))
    return None


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError() from None
        problem = _problem(data)
        if problem is not None:
            path, code, message = problem
            raise exceptions.ValidationError(
                {path or "non_field_errors": [ErrorDetail(message, code=code)]}
            )
        return data

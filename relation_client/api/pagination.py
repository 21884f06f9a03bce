"""Pagination shared by the API: cursors, never page numbers (stable under inserts, and
no COUNT(*) over a million customers)."""

import base64
import binascii
import datetime
import json

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.pagination import CursorPagination

INVALID_CURSOR = _("Curseur de pagination invalide : reprenez le lien « next » tel quel.")
INVALID_PAGE_SIZE = _("Taille de page invalide : un nombre entier de 1 à %(max)s.")


class IdCursorPagination(CursorPagination):
    """Lists in creation order, 50 per page; `next` and `previous` are opaque links."""

    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        # DRF falls back to the default on a bad value: a client asking for `page_size=`
        # or `page_size=abc` is told, as for any other parameter
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= self.max_page_size:
            message = INVALID_PAGE_SIZE % {"max": self.max_page_size}
            raise exceptions.ValidationError(
                {self.page_size_query_param: [ErrorDetail(message, code="invalid")]}
            )
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound:
            # a 400 naming the parameter, not DRF's 404: the resource exists, the link is bad
            raise exceptions.ValidationError(
                {self.cursor_query_param: [ErrorDetail(INVALID_CURSOR, code="invalid_cursor")]}
            ) from None


class RequestQueuePagination(IdCursorPagination):
    """The request queue: oldest deadline first, then the segment's priority."""

    ordering = ("deadline", "priority", "id")


def keyset_encode(moment: datetime.datetime, pk: int) -> str:
    """An opaque cursor for a (occurred_at, id) keyset: base64 of a small JSON pair."""
    raw = json.dumps([moment.astimezone(datetime.UTC).isoformat(), pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def keyset_decode(token: str) -> tuple[datetime.datetime, int]:
    """The pair back; ValueError on anything that keyset_encode did not produce."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        moment, pk = json.loads(raw)
        when = datetime.datetime.fromisoformat(moment)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as error:
        raise ValueError(str(error)) from None
    if when.tzinfo is None or not isinstance(pk, int) or isinstance(pk, bool):
        raise ValueError("not a keyset cursor")
    return when, pk


class KeysetCursorField(serializers.CharField):
    """A query parameter holding a keyset cursor, validated into (moment, id)."""

    default_error_messages = {"invalid_cursor": INVALID_CURSOR}

    def to_internal_value(self, data):
        token = super().to_internal_value(data)
        try:
            return keyset_decode(token)
        except ValueError:
            self.fail("invalid_cursor")

    def to_representation(self, value):
        return keyset_encode(*value)

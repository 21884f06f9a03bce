"""The outage tests that commit (transaction=True) start with the reference lists: a
flush by an earlier transactional test may have emptied them (tests/support/reference.py)."""

import pytest


@pytest.fixture(autouse=True)
def reference_lists(request):
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        request.getfixturevalue("reference_data")

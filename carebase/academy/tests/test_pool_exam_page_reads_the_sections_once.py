"""The exam's management page lists its blueprint with a section menu per
row; the sections are read once, however many rows there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carebase.academy.tests.academy_helpers import make_certification
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def _queries(client, exam) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/academy/manage/quizzes/{exam.pk}/").status_code == 200
    return len(captured)


def test_rows_do_not_add_queries(head_of_support):
    client = client_for(head_of_support)
    small = make_certification(per_band=1, sections=("product",))
    small_count = _queries(client, small)
    large = make_certification(
        per_band=1, sections=("product", "regulations", "analytics", "account")
    )
    assert _queries(client, large) == small_count

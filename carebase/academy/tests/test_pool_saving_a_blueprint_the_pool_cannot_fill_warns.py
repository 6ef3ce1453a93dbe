"""Saving an exam whose blueprint asks more of a band than the pool can
give says so at once: candidates would be refused."""

import pytest

from carebase.academy.tests.academy_helpers import make_certification
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def _bands(exam):
    rows = list(exam.blueprint.all())
    data = {
        "bands-TOTAL_FORMS": str(len(rows)),
        "bands-INITIAL_FORMS": "0",
        "bands-MIN_NUM_FORMS": "0",
        "bands-MAX_NUM_FORMS": "60",
    }
    for index, row in enumerate(rows):
        data[f"bands-{index}-section"] = str(row.section_id)
        data[f"bands-{index}-difficulty"] = row.difficulty
        data[f"bands-{index}-count"] = "3" if index == 0 else str(row.count)
    return data


def test_a_thin_band_is_named_after_saving(head_of_support):
    exam = make_certification(per_band=2, sections=("product",))
    client = client_for(head_of_support)
    page = client.get(f"/academy/manage/quizzes/{exam.pk}/")
    form = page.context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({"shuffle": "on", "published": "on"} if exam.published else {})
    data.update(_bands(exam))
    response = client.post(f"/academy/manage/quizzes/{exam.pk}/", data, follow=True)
    text = response.content.decode()
    assert "the blueprint asks for 3 questions but only 2 can be drawn" in text

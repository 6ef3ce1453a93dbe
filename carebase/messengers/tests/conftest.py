import pytest

from carebase.messengers.tests.bot_api import Commit


@pytest.fixture(autouse=True)
def _commits(django_capture_on_commit_callbacks):
    Commit.now = lambda: django_capture_on_commit_callbacks(execute=True)
    yield
    Commit.now = None

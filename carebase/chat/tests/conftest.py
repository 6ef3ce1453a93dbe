import pytest


@pytest.fixture(autouse=True)
def close_filing_connections():
    """The filing threads keep their database connections; closed after each
    test, or PostgreSQL cannot drop the test database at the end."""
    yield
    from carebase.chat.consumers import close_filing_connections

    close_filing_connections()

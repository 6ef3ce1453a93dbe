"""Signals other apps listen to (imports go one way: they know kb, not the reverse)."""

from django.dispatch import Signal

# A version was published: article=, version= (an ArticleVersion; see
# version.significant). Sent after the transaction commits.
article_published = Signal()

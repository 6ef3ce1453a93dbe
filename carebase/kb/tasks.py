"""The knowledge base's background work: scheduled publication every
minute, and owners' review reminders once an hour."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from carebase.core.schedule import periodic


@periodic(every=timedelta(minutes=1))
@task()
def publish_scheduled_articles() -> int:
    from carebase.kb.actions import publish_due_articles

    return publish_due_articles()


@periodic(every=timedelta(hours=1))
@task()
def remind_article_reviews() -> int:
    from carebase.kb.actions import raise_due_reviews

    return raise_due_reviews()

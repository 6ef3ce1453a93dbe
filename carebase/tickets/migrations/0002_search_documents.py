"""Index the conversations that existed before search did."""

from django.db import migrations

from carebase.core.search import join_terms, terms


def index_existing(apps, schema_editor):
    Ticket = apps.get_model("tickets", "Ticket")
    Message = apps.get_model("tickets", "Message")
    SearchDocument = apps.get_model("core", "SearchDocument")
    tickets = Ticket.objects.select_related("requester", "organization")
    for ticket in tickets.iterator(chunk_size=500):
        texts = [ticket.subject, ticket.requester.name]
        texts += ticket.requester.identities.filter(kind="email").values_list("value", flat=True)
        if ticket.organization is not None:
            texts.append(ticket.organization.name)
        texts += Message.objects.filter(ticket=ticket).values_list("body_text", flat=True)
        SearchDocument.objects.update_or_create(
            kind="ticket", object_id=ticket.pk, defaults={"terms": join_terms(terms(*texts))}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_search_document"),
        ("crm", "0003_contact_portal_scope"),
        ("tickets", "0001_initial"),
    ]

    operations = [migrations.RunPython(index_existing, migrations.RunPython.noop)]

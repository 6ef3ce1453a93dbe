from django.db import models
from django.utils.translation import gettext_lazy as _

from carebase.core.events import event_kinds


@event_kinds
class EventKind(models.TextChoices):
    ORGANIZATION_CREATED = "crm.organization_created", _("Organization created")
    ORGANIZATION_UPDATED = "crm.organization_updated", _("Organization updated")
    ORGANIZATION_DELETED = "crm.organization_deleted", _("Organization deleted")
    CONTACT_CREATED = "crm.contact_created", _("Contact created")
    CONTACT_UPDATED = "crm.contact_updated", _("Contact updated")
    CONTACT_DELETED = "crm.contact_deleted", _("Contact deleted")
    CONTACT_MERGED = "crm.contact_merged", _("Contact merged")
    PROJECT_CREATED = "crm.project_created", _("Project created")
    PROJECT_UPDATED = "crm.project_updated", _("Project updated")

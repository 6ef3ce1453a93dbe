"""The roles people hold in carebase. Each role is a Django group of the same name."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    HEAD_OF_SUPPORT = "head_of_support", _("Head of support")
    SUPPORT_AGENT = "support_agent", _("Support agent")
    HEAD_OF_SUCCESS = "head_of_success", _("Head of customer success")
    CS_MANAGER = "cs_manager", _("CS manager")
    MENTOR = "mentor", _("Mentor")
    TRAINEE = "trainee", _("Trainee")
    SALES = "sales", _("Sales")
    CUSTOMER = "customer", _("Customer")


STAFF_ROLES = frozenset(role for role in Role if role != Role.CUSTOMER)

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from carebase.core.access import Perm, has_perm
from carebase.core.navigation import NavItem


def _sees_crm(user: Any) -> bool:
    return has_perm(user, Perm.VIEW_CRM)


class CrmConfig(AppConfig):
    name = "carebase.crm"
    label = "crm"
    verbose_name = _("Clients")
    navigation = [
        NavItem("crm:organization_list", _("Organizations"), _sees_crm, order=200),
        NavItem("crm:contact_list", _("Contacts"), _sees_crm, order=210),
    ]
    home_panels = ["carebase.crm.views.crm_panel"]

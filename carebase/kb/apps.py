from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from carebase.core.access import Perm, has_perm, is_staff_member
from carebase.core.navigation import NavItem


def _edits_kb(user: Any) -> bool:
    return has_perm(user, Perm.EDIT_KB)


class KbConfig(AppConfig):
    name = "carebase.kb"
    label = "kb"
    verbose_name = _("Knowledge base")
    navigation = [
        NavItem("kb:articles", _("Knowledge base"), is_staff_member, order=850),
        NavItem("kb:regulations", _("Regulations read"), _edits_kb, order=855),
    ]
    home_panels = [
        "carebase.kb.views_regulations.regulations_panel",
        "carebase.kb.views_regulations.reviews_panel",
    ]

    def ready(self) -> None:
        from carebase.kb.panels import suggestions_panel
        from carebase.tickets import panels

        # Suggested articles beside a conversation (kb/panels.py).
        panels.register(suggestions_panel)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from carebase.core.access import is_staff_member
from carebase.core.navigation import NavItem


class AcademyConfig(AppConfig):
    name = "carebase.academy"
    label = "academy"
    verbose_name = _("Academy")
    # One menu item: the academy's home links its pages by role (the menu
    # has no room for five more).
    navigation = [NavItem("academy:home", _("Academy"), is_staff_member, order=870)]
    home_panels = ["carebase.academy.views.academy_panel"]

    def ready(self) -> None:
        from carebase.academy import receivers  # noqa: F401  (connects to kb.article_published)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailConfig(AppConfig):
    name = "carebase.mail"
    label = "mail"
    verbose_name = _("Email")

    def ready(self) -> None:
        from carebase.mail.outbound import EmailChannel
        from carebase.tickets import channels
        from carebase.tickets.models import Channel

        channels.register(Channel.EMAIL, EmailChannel())

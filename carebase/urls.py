from django.contrib import admin
from django.urls import include, path

from carebase.api.api import api
from carebase.core.views import favicon, healthz
from carebase.kb.help_views import robots_txt

admin.site.site_header = "carebase"
admin.site.site_title = "carebase"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("carebase.accounts.urls")),
    path("crm/", include("carebase.crm.urls")),
    path("tickets/", include("carebase.tickets.urls")),
    path("mail/", include("carebase.mail.urls")),
    path("calls/", include("carebase.telephony.urls")),
    path("messengers/", include("carebase.messengers.urls")),
    path("chat/", include("carebase.chat.urls")),
    path("workflow/", include("carebase.workflow.urls")),
    path("kb/", include("carebase.kb.urls")),
    path("help/", include("carebase.kb.help_urls")),
    path("academy/", include("carebase.academy.urls")),
    path("portal/", include("carebase.tickets.portal_urls")),
    path("", include("carebase.core.urls")),
]

handler404 = "carebase.api.errors.not_found"
handler500 = "carebase.api.errors.server_error"

"""ASGI entry point: pages and the API over HTTP, live updates over WebSocket."""

import gc
import os
import warnings

from django.core.asgi import get_asgi_application

# whitenoise serves static files through a synchronous file iterator, which
# Django's ASGI handler reads in a worker thread and warns about once per file.
# That is the documented behaviour, not a fault: keep the log readable.
warnings.filterwarnings(
    "ignore", message="StreamingHttpResponse must consume synchronous iterators"
)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carebase.settings")
django_http = get_asgi_application()  # sets Django up before the routes import models

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.urls import re_path  # noqa: E402

from carebase.chat.routing import websocket_urlpatterns as visitor_sockets  # noqa: E402
from carebase.core.relay import ForwardingWhileOpen  # noqa: E402
from carebase.core.routing import websocket_urlpatterns  # noqa: E402
from carebase.core.search import warm_up  # noqa: E402

warm_up()  # the first search or message must not wait for the lemma dictionaries
# A full collection walks every object of a process that holds a thousand
# sockets: 150 to 200 ms with the event loop stopped, every few seconds
# under load, which made the chat's slowest deliveries (bench/chat_load.py).
# Young objects are still collected as usual; the oldest generation is
# walked a hundred times less often.
_young, _middle, _old = gc.get_threshold()
gc.set_threshold(_young, _middle, 1000)

application = ProtocolTypeRouter(
    {
        "http": django_http,
        "websocket": ForwardingWhileOpen(
            URLRouter(
                [
                    # The chat widget runs on clients' sites: its socket checks
                    # each widget's allowed sites itself.
                    *visitor_sockets,
                    re_path(
                        r"",
                        AllowedHostsOriginValidator(
                            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
                        ),
                    ),
                ]
            )
        ),
    }
)

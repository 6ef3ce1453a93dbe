from typing import Any

from django.http import HttpRequest

from carebase.core.navigation import navigation_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    if not request.user.is_authenticated:
        return {"navigation": []}
    return {"navigation": navigation_for(request)}

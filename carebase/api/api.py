"""The REST API under /api/v1/: one NinjaAPI, routers from each app, one error format.

Errors are {"detail": ...}: 400 unreadable input, 401 no valid credentials,
403 not allowed, 404 not found (or not visible to the caller), 409 conflict
with existing data, 422 invalid fields (a list naming each field).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as SchemaError

from carebase.accounts.api import router as accounts_router
from carebase.api.auth import API_AUTH
from carebase.api.parser import CarebaseParser
from carebase.chat.api import router as chat_router
from carebase.core.errors import Conflict
from carebase.crm.api import router as crm_router
from carebase.mail.api import router as mail_router
from carebase.messengers.api import router as messengers_router
from carebase.telephony.api import router as telephony_router
from carebase.tickets.api import router as tickets_router
from carebase.workflow.api import router as workflow_router
from carebase.workflow.api_features import router as features_router
from carebase.workflow.api_rules import router as workflow_rules_router

api = NinjaAPI(
    title="carebase API",
    version="1",
    description=(
        "Authenticate with `Authorization: Bearer <token>`; create a token in your profile "
        "or with `manage.py create_api_token <username>`. A token has exactly its user's rights. "
        'Lists answer `{"items": [...], "next": <cursor or null>}`: pass `cursor` to read on. '
        'Errors answer `{"detail": ...}`.'
    ),
    auth=API_AUTH,
    parser=CarebaseParser(),
    urls_namespace="api",
    docs_url="/docs",
)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    message = str(error) or "You do not have permission to do this."
    return api.create_response(request, {"detail": message}, status=403)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    # Ninja answers 400 "Cannot parse request body" for anything the parser
    # raised; a body that parsed but holds what no field may (NUL) is a 422
    # that names the field, as every other invalid field.
    if isinstance(error.__cause__, SchemaError):
        return api.create_response(request, {"detail": error.__cause__.errors}, status=422)
    return api.create_response(request, {"detail": str(error)}, status=error.status_code)


@api.exception_handler(ValidationError)
def invalid_fields(request: HttpRequest, error: ValidationError) -> HttpResponse:
    if hasattr(error, "error_dict"):
        detail = [
            {"loc": ["body", field], "msg": message, "type": "value_error"}
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    else:
        detail = [
            {"loc": ["body"], "msg": message, "type": "value_error"} for message in error.messages
        ]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(Conflict)
def conflict(request: HttpRequest, error: Conflict) -> HttpResponse:
    body = {"detail": error.message, "field": error.field, **error.details}
    return api.create_response(request, body, status=409)


api.add_router("/", accounts_router)
api.add_router("/", crm_router)
api.add_router("/", tickets_router)
api.add_router("/", mail_router)
api.add_router("/", telephony_router)
api.add_router("/", messengers_router)
api.add_router("/", chat_router)
api.add_router("/", workflow_router)
api.add_router("/", workflow_rules_router)
api.add_router("/", "carebase.workflow.api_macros.router", tags=["macros"])
api.add_router("/", features_router)
api.add_router("/", "carebase.workflow.api_notices.router")
api.add_router("/", "carebase.kb.api.router")
api.add_router("/", "carebase.kb.api_agent.router")
api.add_router("/", "carebase.kb.api_regulations.router")
api.add_router("/", "carebase.academy.api_bank.router")
api.add_router("/", "carebase.academy.api_mentoring.router")
api.add_router("/", "carebase.academy.api.router")
api.add_router("/", "carebase.academy.api_plans.router")

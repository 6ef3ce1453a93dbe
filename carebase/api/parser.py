"""The API's reader of JSON bodies, query strings and forms: ninja's, but it
refuses a body that is not a JSON object, and text holding the NUL
character (U+0000).

JSON and URLs can carry NUL, but no text column of PostgreSQL can hold it:
without this check a subject of "a\\u0000b" is a server error on PostgreSQL
and a stored oddity on SQLite. One check here covers every endpoint; the
webhooks that must keep what a sender sent (PBX events, Telegram updates)
read their raw bodies themselves and clean it there."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.errors import ValidationError
from ninja.parser import Parser
from ninja.types import DictStrAny

NUL = "\x00"
MESSAGE = "Text may not contain the NUL character (\\u0000)."


def _nul_at(value: Any, path: list[str | int]) -> list[str | int] | None:
    """The path to the first key or text that holds NUL, if any."""
    if isinstance(value, str):
        return path if NUL in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            if NUL in key:
                return [*path, key.replace(NUL, "\\u0000")]
            found = _nul_at(item, [*path, key])
            if found is not None:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = _nul_at(item, [*path, index])
            if found is not None:
                return found
    return None


def _refusal(location: list[str | int], message: str = MESSAGE) -> ValidationError:
    return ValidationError([{"loc": location, "msg": message, "type": "value_error"}])


class CarebaseParser(Parser):
    def parse_body(self, request: HttpRequest) -> DictStrAny:
        data = json.loads(request.body)
        if not isinstance(data, dict):
            # Every body of this API is an object; ninja's schemas read
            # attributes of whatever they are given, so the string "abc"
            # would otherwise pass as a feature titled "abc".title().
            raise _refusal(["body"], "Send a JSON object.")
        found = _nul_at(data, ["body"])
        if found is not None:
            # Ninja wraps whatever this raises in a 400 "Cannot parse request
            # body"; carebase.api.api unwraps it into the 422 it is.
            raise _refusal(found)
        return data

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> DictStrAny:
        for key, values in data.lists():
            if NUL in key or any(isinstance(value, str) and NUL in value for value in values):
                raise _refusal(["query", key.replace(NUL, "\\u0000")])
        return super().parse_querydict(data, list_fields, request)

"""The JSON a generic messenger webhook posts (see docs/messengers.md)."""

from __future__ import annotations

from ninja import Schema
from pydantic import AwareDatetime, Field, field_validator, model_validator


class _Text(Schema):
    @field_validator("*", mode="before")
    @classmethod
    def without_nul(cls, value: object) -> object:
        # Valid JSON, but no text column of PostgreSQL can hold it.
        return value.replace("\x00", "") if isinstance(value, str) else value


class SenderIn(_Text):
    id: str = Field(min_length=1, max_length=150, description="The sender's id in that messenger.")
    name: str = Field("", max_length=200)
    email: str = Field("", max_length=254, description="Links the sender to a known contact.")
    phone: str = Field("", max_length=40, description="Links the sender to a known contact.")


class AttachmentIn(_Text):
    url: str = Field(max_length=2000, pattern=r"^https?://")
    filename: str = Field("", max_length=255)


class WebhookMessageIn(_Text):
    message_id: str = Field(
        min_length=1, max_length=150, description="Unique per message: a repeat is filed once."
    )
    conversation_id: str = Field(
        min_length=1, max_length=150, description="The chat in that messenger."
    )
    sender: SenderIn
    text: str = Field("", max_length=50_000)
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=20)
    sent_at: AwareDatetime | None = None

    @model_validator(mode="after")
    def has_content(self) -> WebhookMessageIn:
        if not self.text.strip() and not self.attachments:
            raise ValueError("A message has text or attachments.")
        return self

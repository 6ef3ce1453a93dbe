"""The widget's words, in each language it speaks (it picks by the page's)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _


def _strings() -> dict[str, str]:
    return {
        "open": _("Chat with us"),
        "close": _("Close the chat window"),
        "title": _("Chat"),
        "placeholder": _("Write a message…"),
        "send": _("Send"),
        "sending": _("Sending…"),
        "delivered": _("Delivered"),
        "read": _("Read"),
        "typing": _("%(name)s is typing…"),
        "agentJoined": _("%(name)s joined the chat."),
        "name": _("Your name"),
        "email": _("Your email"),
        "start": _("Start the chat"),
        "identityDuring": _("Leave your name and email, so that we can write back if you leave."),
        "save": _("Save"),
        "offline": _(
            "Nobody is available to chat right now. Leave us a message and we will answer by email."
        ),
        "message": _("Your message"),
        "leaveMessage": _("Send the message"),
        "offlineSent": _("Thank you. We will answer by email."),
        "closed": _("The chat has ended."),
        "rate": _("How did we do?"),
        "comment": _("Anything to add? (optional)"),
        "sendRating": _("Send the rating"),
        "rated": _("Thank you for your rating."),
        "newChat": _("Start a new chat"),
        "reconnecting": _("Reconnecting…"),
        "refused": _("The chat is not available on this site."),
        "slowDown": _("You are writing very fast: the message goes out in a moment."),
        "transcript": _("Email me the transcript"),
        "transcriptSent": _("The transcript is on its way to %(email)s."),
        "attach": _("Send a file"),
        "uploadFailed": _("The file could not be sent. Try again."),
        "you": _("You"),
        "agent": _("Support"),
    }


def widget_strings() -> dict[str, dict[str, str]]:
    words = {}
    for language in ("en", "pl"):
        with translation.override(language):
            words[language] = _strings()
    return words

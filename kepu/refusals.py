"""The refusal: a service says no to what a person asked for, and changes nothing.

Each app subclasses `Refusal` for its own refusals (`QuizError`, `VoteError`,
`ConsentError` …); a view catches the app's class and shows `message`, a sentence already
in the person's language (a lazy translation is fine), as a form error, a message or
JSON. `code` names the reason for callers that branch on it.
"""

from django.utils.translation import gettext_lazy as _


class Refusal(Exception):
    """A refusal with a message for the person; nothing was changed."""

    message = _("This cannot be done.")
    code = "refused"

    def __init__(self, message=None, code: str | None = None):
        if message is not None:
            self.message = message
        if code is not None:
            self.code = code
        super().__init__(str(self.message))

"""The server's refusals in the user's language.

The service answers a refused request or op with a stable ``code`` and an English ``message``
(for logs and operators). The desktop tells the user the code's meaning in the interface
language, with what to do; a code it does not know yet falls back to the server's message.
"""

from __future__ import annotations

from idm_desktop.core.i18n import _

DEVICE_REVOKED, TOKEN_REVOKED = "device_revoked", "token_revoked"
"""The server's codes for a token that stopped working because the secretariat revoked this
computer, or the sign-in itself."""


def sign_in_ended_text(reason: str, server: str, user: str | None = None) -> str:
    """Why the server no longer accepts this library's sign-in, and the command that signs in again."""
    command = f"idm-desktop login --server {server} --user {user or 'NAME'}"
    if reason == DEVICE_REVOKED:
        return _("The secretariat revoked this computer’s access to {server}: sign in again with "
                 "“{command}”. Your work is kept.").format(server=server, command=command)
    if reason == TOKEN_REVOKED:
        return _("The secretariat ended your sign-in to {server}: sign in again with “{command}”. Your "
                 "work is kept.").format(server=server, command=command)
    return _("Your sign-in to {server} has ended (expired or revoked): sign in again with “{command}”. "
             "Your work is kept.").format(server=server, command=command)


def refusal_text(code: str | None, message: str | None) -> str:
    """One sentence for a refusal the server answered with ``code`` (and ``message``)."""
    known = {
        "not_found": _("The server has no such submission for your delegation."),
        "forbidden": _("Your account may not make this change: ask the secretariat for the right role."),
        "other_delegation": _("A delegation writes only its own country’s submissions: start the submission "
                              "for your delegation’s country."),
        "frozen": _("This submission was submitted and can no longer be edited: prepare a correction "
                    "instead."),
        "op_id_reused": _("The server already has another change under the same number: send the text again "
                          "from this computer."),
        "bad_hash": _("The change was damaged on the way: try again."),
        "invalid_body": _("The server found the submission not valid: check it (idm-desktop submission "
                          "check), fix it, then try again."),
        "unknown_workshop": _("The server does not know this workshop yet: sync, then try again."),
        "unknown_template": _("The server does not know this template version: sync, then try again."),
        "unknown_section": _("The text has sections the template does not have: move their text, then try "
                             "again."),
        "not_placed_text": _("The text still holds text a Word import could not place: move it into the "
                             "sections or delete it, then submit again."),
        "too_large": _("The change is too large for the server: shorten the text, then try again."),
        "too_many_attempts": _("Too many attempts: wait a few minutes, then try again."),
        "unauthorized": _("Your sign-in has ended (expired or revoked): sign in again."),
        DEVICE_REVOKED: _("The secretariat revoked this computer: sign in again."),
        TOKEN_REVOKED: _("The secretariat ended your sign-in: sign in again."),
        "not_ready": _("The server is not ready: try again in a few minutes."),
        "bundle_unsigned": _("The bundle is not signed by the computer that wrote it: nothing was changed."),
        "bundle_unknown_device": _("The bundle is signed by a computer the server does not know: nothing was "
                                   "changed."),
        "bundle_revoked_device": _("The bundle is signed by a computer the secretariat revoked: nothing was "
                                   "changed."),
        "bundle_other_delegation": _("The bundle comes from another delegation’s computer: nothing was "
                                     "changed."),
        "bundle_bad_signature": _("The bundle’s signature does not match the computer that wrote it (it was "
                                  "changed after it was written): nothing was changed."),
        "bundle_tampered": _("The bundle’s sealed content was changed or damaged, or it was sealed to "
                             "another server: nothing was changed."),
        "bundle_invalid": _("The server could not read the bundle (damaged or not an outbox bundle): "
                            "nothing was changed."),
        "invalid_request": _("The server could not read the request: update IDM Delegate Desktop, then try "
                             "again."),
    }
    if code and code in known:
        return known[code]
    return message or code or _("The server refused the change.")

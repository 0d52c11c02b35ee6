"""The English catalogue is complete and its compiled form is the one committed.

These use GNU gettext's tools, which `make test` installs: without them they fail, never skip.
"""

import subprocess
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES"

# Templates copied from django-allauth and Django's admin keep their English msgids: allauth's
# and Django's own catalogues translate them into French, so they need no English entry here.
ENGLISH_MSGIDS = {
    "Email Addresses", "The following email addresses are associated with your account:",
    "Verified", "Unverified", "Primary", "Make Primary", "Re-send Verification", "Remove",
    "Add Email Address", "Add Email", "Do you really want to remove the selected email address?",
    "Email Address", "Current email", "Changing to",
    "Your email address is still pending verification.", "Cancel Change", "Change to",
    "Change Email", "Error:", "Home",
}  # fmt: skip


def untranslated_msgids() -> set[str]:
    output = subprocess.run(
        ["msgattrib", "--untranslated", "--no-wrap", str(CATALOGUE / "django.po")],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    msgids = set()
    for line in output.splitlines():
        if line.startswith('msgid "') and line != 'msgid ""':
            msgids.add(line[len('msgid "') : -1].replace('\\"', '"'))
    return msgids


def test_every_french_string_has_an_english_translation():
    assert untranslated_msgids() <= ENGLISH_MSGIDS


def test_the_committed_mo_file_is_compiled_from_the_po_file(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(
        ["msgfmt", "--check-format", "-o", str(compiled), str(CATALOGUE / "django.po")],
        check=True,
    )
    assert compiled.read_bytes() == (CATALOGUE / "django.mo").read_bytes()

"""Names and titles shown to other people may not carry spoofing characters (issue 9).

Bidirectional overrides, embeddings and isolates (U+202A–202E, U+2066–2069), direction
marks and zero-width characters are invisible, yet they reorder or disguise what is shown
around them: U+202E before "gpj.exe" shows "exe.jpg", and a zero-width space makes two
different names look alike. Names, usernames, titles, places, categories and tags refuse
them with one message. Free text (bios, descriptions, reviews, captions) keeps them,
because some scripts need joiners, and the pages render it with `unicode-bidi: isolate`
so it cannot reorder what surrounds it.

Control characters (NUL and the other C0 codes) are refused everywhere, free text
included (which keeps only tabs and line breaks): nobody types them, and PostgreSQL cannot
even store a NUL, so without this check they end in a server error, not a field error.
"""

from __future__ import annotations

import re

# U+061C Arabic letter mark, U+180E Mongolian vowel separator, U+200B–200F zero-width
# space/non-joiner/joiner and LRM/RLM, U+202A–202E embeddings and overrides, U+2060–2064
# word joiner and invisible operators, U+2066–2069 isolates, U+FEFF zero-width no-break.
SPOOFING_CHARACTERS = re.compile(
    "[\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
    "\x00-\x1f\x7f]"  # and every control character: invisible too, and NUL cannot be stored
)
FREE_TEXT_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # all but \t \n \r


def spoofing_problem(label: str, text: str | None) -> str | None:
    """The field error for a name-like `text` carrying spoofing characters, or None.

    Args:
        label: How the form names the field, e.g. "Full name" (starts the message).
        text: The submitted value (None and "" are fine here; length rules live elsewhere).
    """
    if text and SPOOFING_CHARACTERS.search(text):
        return f"{label} cannot contain invisible or text-direction characters"
    return None


def without_spoofing(text: str) -> str:
    """`text` with spoofing characters removed (for names that come from elsewhere, e.g.
    a Google profile, where refusing would leave the person no way to fix it)."""
    return SPOOFING_CHARACTERS.sub("", text)


def free_text_problem(label: str, text: str | None) -> str | None:
    """The field error for free text (description, review, caption) holding control
    characters other than tabs and line breaks, or None.

    Args:
        label: How the form names the field, e.g. "Description" (starts the message).
        text: The submitted value (None and "" are fine here).
    """
    if text and FREE_TEXT_CONTROLS.search(text):
        return f"{label} cannot contain control characters"
    return None

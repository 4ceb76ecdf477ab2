"""Copy codes (漂流书编号): short, unguessable, safe to read aloud and to type.

A code is 9 characters from a 32-character alphabet without 0, O, 1 and I (nobody can
confuse them on a label or over the phone): 8 random characters (40 bits, from `secrets`)
and a check character (Luhn mod 32), which catches every single mistyped character and
almost every swap of two neighbours. Codes are printed in groups of three ("K7R-M2Q-XA9")
and accepted however they are typed: lower case, full-width, with spaces or dashes.

Uniqueness is a database constraint (BookCopy.code); `catalogue.py` generates codes in bulk
and retries a clash. A mistyped code is never looked up blindly: `suggestions()` tries only
the corrections a person plausibly needs (one character read or typed as a look-alike, two
neighbours swapped), so a near miss finds its book without turning the lookup into a way to
enumerate codes.
"""

import secrets
import unicodedata

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
RANDOM_LENGTH = 8
LENGTH = RANDOM_LENGTH + 1
PATTERN = f"^[{ALPHABET}]{{{LENGTH}}}$"
_INDEX = {char: index for index, char in enumerate(ALPHABET)}
_BASE = len(ALPHABET)

# Characters people read or type for one another, and characters outside the alphabet
# (0, O, 1, I) with what they were most likely meant to be.
LOOK_ALIKES = {
    "0": "DQ", "O": "DQ", "Q": "D", "D": "Q",
    "1": "7LJT", "I": "JLT7", "L": "J7", "J": "L", "T": "7", "7": "T",
    "2": "Z", "Z": "2", "5": "S", "S": "5", "8": "B", "B": "8", "6": "G", "G": "6C",
    "C": "G", "U": "VW", "V": "UWY", "W": "VM", "Y": "V", "M": "NW", "N": "MH", "H": "N",
    "E": "F3", "F": "E", "3": "E", "P": "R", "R": "P", "K": "X", "X": "K", "9": "J",
}  # fmt: skip


def _check_character(payload: str) -> str:
    """The Luhn mod 32 check character of `payload` (characters of ALPHABET)."""
    total, factor = 0, 2
    for char in reversed(payload):
        addend = factor * _INDEX[char]
        total += addend // _BASE + addend % _BASE
        factor = 1 if factor == 2 else 2
    return ALPHABET[(_BASE - total % _BASE) % _BASE]


def generate() -> str:
    """A new random code (not yet checked against the database)."""
    payload = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return payload + _check_character(payload)


def normalise(text: str) -> str:
    """What a person typed, as a code would be stored: NFKC (full-width → half-width),
    upper case, without spaces, dashes and dots. Not necessarily valid."""
    text = unicodedata.normalize("NFKC", text or "").upper()
    return "".join(char for char in text if char.isalnum())[:40]


def is_well_formed(code: str) -> bool:
    """Whether `code` (normalised) has the length, the alphabet and a correct check."""
    if len(code) != LENGTH or any(char not in _INDEX for char in code):
        return False
    return _check_character(code[:-1]) == code[-1]


def display(code: str) -> str:
    """The printed form, in groups of three: "K7RM2QXA9" → "K7R-M2Q-XA9"."""
    return "-".join(code[i : i + 3] for i in range(0, len(code), 3))


def suggestions(typed: str) -> list[str]:
    """Well-formed codes one plausible correction away from `typed` (normalised): one
    look-alike character replaced, or two neighbours swapped. For a code of the right
    length only; the caller keeps those that exist."""
    if len(typed) != LENGTH:
        return []
    found: list[str] = []
    for position, char in enumerate(typed):
        for replacement in LOOK_ALIKES.get(char, ""):
            candidate = typed[:position] + replacement + typed[position + 1 :]
            if is_well_formed(candidate):
                found.append(candidate)
    for position in range(LENGTH - 1):
        swapped = list(typed)
        swapped[position], swapped[position + 1] = swapped[position + 1], swapped[position]
        candidate = "".join(swapped)
        if candidate != typed and is_well_formed(candidate):
            found.append(candidate)
    return list(dict.fromkeys(found))

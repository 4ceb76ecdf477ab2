"""Line breaking for Chinese text drawn with Pillow (posters, certificates, share cards).

Chinese breaks between any two characters, except that closing punctuation may not start
a line and opening punctuation may not end one (the usual 避头尾 rules). Runs of Latin
letters and digits ("COVID-19", "5G") stay together unless they alone are wider than a
line.
"""

import re
from collections.abc import Callable

# Punctuation that must not begin a line.
NO_LINE_START = frozenset("，。、；：？！）」』》〉】〕〗｝’”…—·％‰,.;:?!)]}%")
# Punctuation that must not end a line.
NO_LINE_END = frozenset("（「『《〈【〔〖｛‘“([{")
ELLIPSIS = "…"

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-.%]*|\s+|.", re.DOTALL)


def _tokens(text: str, measure: Callable[[str], float], max_width: float) -> list[str]:
    tokens = []
    for token in _TOKEN.findall(text):
        if len(token) > 1 and not token.isspace() and measure(token) > max_width:
            tokens.extend(token)  # a word wider than the line breaks anywhere
        else:
            tokens.append(token)
    return tokens


def wrap(
    text: str,
    measure: Callable[[str], float],
    max_width: float,
    max_lines: int | None = None,
) -> list[str]:
    """Breaks `text` into lines no wider than `max_width` as measured by `measure`.

    With `max_lines`, the last line kept ends in an ellipsis when text was cut. A single
    character wider than the line still gets a line of its own.
    """
    lines: list[list[str]] = []
    current: list[str] = []
    for token in _tokens(" ".join(text.split()), measure, max_width):
        if not current and token.isspace():
            continue
        if not current or measure("".join([*current, token])) <= max_width:
            current.append(token)
            continue
        carried: list[str] = []
        # Take characters along to the next line rather than start it with closing
        # punctuation or end this one with opening punctuation.
        if token[0] in NO_LINE_START and len(current) > 1:
            carried.insert(0, current.pop())
        while len(current) > 1 and current[-1][-1] in NO_LINE_END:
            carried.insert(0, current.pop())
        lines.append(current)
        current = [*carried, token] if not token.isspace() else carried
    if current:
        lines.append(current)
    result = ["".join(line).strip() for line in lines]
    if max_lines is not None and len(result) > max_lines:
        result = result[:max_lines]
        last = result[-1]
        while last and measure(last + ELLIPSIS) > max_width:
            last = last[:-1]
        result[-1] = last.rstrip("，、；：,;: ") + ELLIPSIS
    return result

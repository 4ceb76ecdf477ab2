"""The demo's page texts: Markdown files with TOML front matter, read into StreamField blocks.

A file starts with front matter between two `+++` lines (TOML, as Hugo writes it: title,
section, topics, date …), then the body. The body is a small, closed subset of Markdown, one
block per paragraph (blocks are separated by blank lines), each mapped to one block of
`content.blocks.BodyBlock`:

    A line of text                  paragraph (plain text: no inline markup)
    ## Heading                      heading
    Table: caption                  table; the caption line is optional, the first row is
    | a | b |                       the header, the second the `| --- |` separator
    | --- | --- |
    | 1 | 2 |
    > Quotation                     quote; an attribution goes on a last line after "— "
    > — Who said it
    ::: key_points Title            key points, one "- " line per point
    - point
    :::
    ::: knowledge_card Title        knowledge card, the lines between are its text
    Text
    :::

Anything else is an error naming the file and the block, so a typo cannot pass silently.
"""

import tomllib
from pathlib import Path

FENCE = "+++"
DIRECTIVE = ":::"
ATTRIBUTION = "— "
CAPTION = "Table: "


class DemoTextError(ValueError):
    """A demo text file that does not follow the format above."""


def read(path: Path) -> tuple[dict, list[tuple[str, object]]]:
    """(front matter, body blocks) of the demo text file at `path`."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    if not lines or lines[0] != FENCE or FENCE not in lines[1:]:
        raise DemoTextError(f"{path}: no front matter between two {FENCE} lines")
    end = lines.index(FENCE, 1)
    try:
        meta = tomllib.loads("\n".join(lines[1:end]))
    except tomllib.TOMLDecodeError as exc:
        raise DemoTextError(f"{path}: front matter: {exc}") from exc
    return meta, parse_body(lines[end + 1 :], path)


def parse_body(lines: list[str], path: Path | str = "<text>") -> list[tuple[str, object]]:
    """The body's blocks as (kind, value) pairs, in order."""
    try:
        chunks = _chunks(lines)
    except DemoTextError as exc:
        raise DemoTextError(f"{path}: {exc}") from None
    blocks = []
    for chunk in chunks:
        try:
            blocks.append(_block(chunk))
        except DemoTextError as exc:
            raise DemoTextError(f"{path}: {exc}: {chunk[0][:40]}") from None
    return blocks


def _chunks(lines: list[str]) -> list[list[str]]:
    """Blank-line separated groups; a ::: directive runs to its closing line."""
    chunks, current, in_directive = [], [], False
    for line in lines:
        line = line.rstrip()
        if in_directive:
            current.append(line)
            in_directive = line != DIRECTIVE
            continue
        if not line:
            if current:
                chunks.append(current)
                current = []
            continue
        current.append(line)
        in_directive = line.startswith(DIRECTIVE + " ")
    if in_directive:
        raise DemoTextError(f"unclosed {DIRECTIVE} block: {current[0][:40]}")
    if current:
        chunks.append(current)
    return chunks


def _block(chunk: list[str]) -> tuple[str, object]:
    first = chunk[0]
    if first.startswith(DIRECTIVE + " "):
        kind, _, title = first[len(DIRECTIVE) + 1 :].partition(" ")
        inner = chunk[1:-1]
        if kind == "key_points":
            if not all(line.startswith("- ") for line in inner):
                raise DemoTextError("key points are lines starting with “- ”")
            return kind, {"title": title, "points": [line[2:] for line in inner]}
        if kind == "knowledge_card":
            return kind, {"title": title, "text": "\n".join(inner)}
        raise DemoTextError(f"unknown block “{kind}”")
    if first.startswith("## "):
        if len(chunk) != 1:
            raise DemoTextError("a heading is one line")
        return "heading", first[3:]
    if first.startswith(">"):
        text = [line[2:] if line.startswith("> ") else line[1:] for line in chunk]
        attribution = ""
        if text[-1].startswith(ATTRIBUTION):
            attribution = text.pop()[len(ATTRIBUTION) :]
        return "quote", {"text": "\n".join(text), "attribution": attribution}
    if first.startswith((CAPTION, "|")):
        caption = first[len(CAPTION) :] if first.startswith(CAPTION) else ""
        rows = [_cells(line) for line in chunk[1 if caption else 0 :]]
        if len(rows) < 2 or not all(set(cell) <= set("-: ") for cell in rows[1]):
            raise DemoTextError("a table needs a header row and a | --- | line")
        return "table", {"caption": caption, "header": rows[0], "rows": rows[2:]}
    if len(chunk) != 1 or first.startswith(("#", "- ", DIRECTIVE)):
        raise DemoTextError("a paragraph is one line of plain text")
    return "paragraph", first


def _cells(line: str) -> list[str]:
    if not (line.startswith("|") and line.endswith("|")):
        raise DemoTextError("table rows start and end with |")
    return [cell.strip() for cell in line[1:-1].split("|")]

"""Where a query's clauses occur in a text: the proximity of the ranking, the best passage
of a snippet.

Texts are normalised (`search.text.normalise`) before they get here, like the query; positions
are character offsets into that text.
"""

from __future__ import annotations

from collections.abc import Sequence

from search.constants import MAX_OCCURRENCES

Occurrence = tuple[int, int, int]  # start, end, clause index


def occurrences(text: str, strings: Sequence[Sequence[str]]) -> list[Occurrence]:
    """(start, end, clause) for every occurrence of each clause's strings in `text`, in
    order of position. `strings[i]` are the strings of clause i, longest first; an
    occurrence inside a longer one of the same clause is not counted again."""
    found: list[Occurrence] = []
    for index, clause_strings in enumerate(strings):
        covered: list[tuple[int, int]] = []
        for string in clause_strings:
            if not string:
                continue
            start = text.find(string)
            count = 0
            while start >= 0 and count < MAX_OCCURRENCES:
                end = start + len(string)
                if not any(s <= start < e for s, e in covered):
                    covered.append((start, end))
                    found.append((start, end, index))
                    count += 1
                start = text.find(string, start + 1)
    found.sort()
    return found


def minimal_span(found: list[Occurrence]) -> tuple[int, int]:
    """(distinct clauses present, length of the shortest stretch of text holding one
    occurrence of each of them); (0, 0) when nothing occurs."""
    present = {clause for _start, _end, clause in found}
    if not present:
        return 0, 0
    counts: dict[int, int] = {}
    best = None
    left = 0
    for _start, right_end, clause in found:
        counts[clause] = counts.get(clause, 0) + 1
        while len(counts) == len(present):
            span = max(right_end, found[left][1]) - found[left][0]
            if best is None or span < best:
                best = span
            dropped = found[left][2]
            counts[dropped] -= 1
            if not counts[dropped]:
                del counts[dropped]
            left += 1
    return len(present), best or 0


def best_window(
    found: list[Occurrence], weights: Sequence[float], size: int
) -> tuple[float, int, int] | None:
    """The stretch of at most `size` characters where the query's clauses occur together:
    (weight of the distinct clauses in it, start of its first occurrence, end of its last).

    The heaviest wins (clause weights are their IDF), then the one with more occurrences,
    then the earliest. None when nothing occurs.
    """
    if not found:
        return None
    best = None
    right = 0
    counts: dict[int, int] = {}
    for left, (start, _end, _clause) in enumerate(found):
        while right < len(found) and found[right][1] - start <= size:
            clause = found[right][2]
            counts[clause] = counts.get(clause, 0) + 1
            right += 1
        if right > left:
            weight = sum(weights[c] for c in counts)
            key = (weight, right - left)
            if best is None or key > best[0]:
                best = (key, start, max(found[right - 1][1], found[left][1]))
        if right > left:
            clause = found[left][2]
            counts[clause] -= 1
            if not counts[clause]:
                del counts[clause]
        else:
            right = left + 1
    return best[0][0], best[1], best[2]

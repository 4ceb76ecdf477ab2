"""The relevance sets and their measures (used by test_relevance.py).

- Our own 科普 set (relevance/documents.json, queries.json): original documents and queries
  with graded judgments (2: about it, 1: related) — keywords, questions typed the way people
  type them, Traditional input, pinyin, synonyms, phrases, one-character words.
- The CMRC 2018 trial set (relevance/cmrc2018/, Yiming Cui et al., CC BY-SA 4.0; see its
  README): each Wikipedia paragraph a document, each annotator's question a query (its own
  paragraph is the relevant one), the questions again in Traditional characters, and each
  distinct answer of 2–8 Han characters a keyword query (every document holding it is
  relevant; answers held by more than 20 are dropped).

Measures at 10 results: nDCG (gain 2^g − 1), recall (of at most 10 relevant documents),
MRR, the share of queries with no result, and for keyword queries the share whose exact
phrase documents all come before any other document.
"""

from __future__ import annotations

import datetime
import json
import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from search.backends.base import SearchDocument

HERE = Path(__file__).resolve().parent / "relevance"
CMRC_TRIAL = HERE / "cmrc2018" / "cmrc2018_trial.json"
# A larger CMRC 2018 file of the same shape (e.g. the dev set) for a longer local run.
CMRC_PATH = Path(os.environ.get("KEPU_RELEVANCE_CMRC") or CMRC_TRIAL)
CMRC_ATTRIBUTION = "CMRC 2018 (Yiming Cui et al., Chinese Wikipedia; CC BY-SA 4.0)"
MAX_KEYWORD_DOCUMENTS = 20
_HAN = re.compile(r"[\u4e00-\u9fff]{2,8}")


@dataclass(frozen=True)
class Judged:
    query: str
    relevant: dict[str, int]
    note: str = ""


@dataclass(frozen=True)
class Measures:
    name: str
    queries: int
    ndcg: float
    recall: float
    mrr: float
    zero_hit: float
    phrase_first: float | None = None
    misses: tuple[str, ...] = ()

    def line(self) -> str:
        text = (
            f"{self.name}: {self.queries} queries, nDCG@10 {self.ndcg:.3f}, Recall@10 "
            f"{self.recall:.3f}, MRR@10 {self.mrr:.3f}, zero-hit {self.zero_hit:.2%}"
        )
        if self.phrase_first is not None:
            text += f", exact phrase first {self.phrase_first:.2%}"
        return text


def _dcg(gains: list[int]) -> float:
    return sum((2**gain - 1) / math.log2(rank + 2) for rank, gain in enumerate(gains))


def measure(
    name: str,
    judged: list[Judged],
    search: Callable[[str, int], list[str]],
    *,
    phrase_first: bool = False,
) -> Measures:
    """Runs every query through `search(text, limit) -> ranked keys` and averages."""
    ndcg = recall = mrr = zero = first = 0.0
    misses = []
    for item in judged:
        wanted = min(len(item.relevant), MAX_KEYWORD_DOCUMENTS) if phrase_first else 0
        ranked = search(item.query, max(10, wanted))
        top = ranked[:10]
        if not ranked:
            zero += 1
        ideal = _dcg(sorted(item.relevant.values(), reverse=True)[:10])
        ndcg += _dcg([item.relevant.get(key, 0) for key in top]) / ideal
        found = len(set(top) & set(item.relevant))
        recall += found / min(len(item.relevant), 10)
        mrr += next((1 / (rank + 1) for rank, key in enumerate(top) if key in item.relevant), 0)
        if phrase_first and set(ranked[:wanted]) == set(item.relevant):
            first += 1
        if found < min(len(item.relevant), 10):
            misses.append(f"{item.query} ({item.note}): got {top[:5]}, wanted {item.relevant}")
    count = max(len(judged), 1)
    return Measures(
        name,
        len(judged),
        ndcg / count,
        recall / count,
        mrr / count,
        zero / count,
        first / count if phrase_first else None,
        tuple(misses),
    )


# --- our own set -------------------------------------------------------------------------------


def own_documents() -> list[SearchDocument]:
    return [
        SearchDocument(
            key=row["key"],
            kind=row["kind"],
            title=row["title"],
            url=f"/r/{row['key']}/",
            summary=row["summary"],
            body=row["body"],
            topics=tuple(row["topics"]),
            date=datetime.datetime.fromisoformat(row["date"]).replace(tzinfo=datetime.UTC),
        )
        for row in json.loads((HERE / "documents.json").read_text("utf-8"))
    ]


def own_queries() -> tuple[list[list[str]], list[Judged]]:
    """The synonym groups the set assumes, and its judged queries."""
    spec = json.loads((HERE / "queries.json").read_text("utf-8"))
    judged = [Judged(q["query"], q["relevant"], q["note"]) for q in spec["queries"]]
    return spec["synonyms"], judged


# --- CMRC 2018 ---------------------------------------------------------------------------------


def _cmrc(path: Path) -> list[tuple[str, dict]]:
    data = json.loads(path.read_text("utf-8"))["data"]
    return [(article["title"], p) for article in data for p in article["paragraphs"]]


def cmrc_documents(path: Path = CMRC_PATH) -> list[SearchDocument]:
    """One document per paragraph: the article's title, the paragraph as its body."""
    return [
        SearchDocument(
            key=paragraph["id"],
            kind="article",
            title=title,
            url=f"/cmrc/{paragraph['id']}/",
            body=paragraph["context"],
        )
        for title, paragraph in _cmrc(path)
    ]


def cmrc_questions(path: Path = CMRC_PATH) -> list[Judged]:
    """Each (non-empty) question; its own paragraph is the relevant document."""
    return [
        Judged(qa["question"], {paragraph["id"]: 1}, "question")
        for _title, paragraph in _cmrc(path)
        for qa in paragraph["qas"]
        if qa["question"].strip()
    ]


def cmrc_keywords(path: Path = CMRC_PATH) -> list[Judged]:
    """Each distinct answer of 2–8 Han characters; relevant: every document holding it."""
    paragraphs = _cmrc(path)
    texts = {p["id"]: title + "\n" + p["context"] for title, p in paragraphs}
    answers = dict.fromkeys(
        answer["text"].strip()
        for _title, paragraph in paragraphs
        for qa in paragraph["qas"]
        for answer in qa["answers"]
        if _HAN.fullmatch(answer["text"].strip())
    )
    judged = []
    for answer in answers:
        relevant = {key: 1 for key, text in texts.items() if answer in text}
        if 0 < len(relevant) <= MAX_KEYWORD_DOCUMENTS:
            judged.append(Judged(answer, relevant, "answer keyword"))
    return judged


def traditional(judged: list[Judged]) -> list[Judged]:
    """The same queries converted to Traditional characters (OpenCC s2t)."""
    import opencc

    converter = opencc.OpenCC("s2t")
    return [
        Judged(converter.convert(j.query), j.relevant, j.note + ", Traditional") for j in judged
    ]

"""Benchmark of the embedded search backend: bulk indexing and query latency at 50,000 documents.

A script, not a test. It generates synthetic Chinese documents from a vocabulary of
science-popularisation words (fast, reproducible with --seed), rebuilds the embedded index
with them, then runs a few hundred typical queries (one to three words, questions typed as
sentences, a few lone characters, some Traditional, some with filters, sorted by date or on
page 2) and prints indexing time, the start-up of the search dictionaries, the first search
after it and p50/p95/p99 query latency, then suggestion latency (titles and suggested terms).

    .venv/bin/python bench/search_embedded.py                      # SQLite file in a temp dir
    DATABASE_URL=postgres://kepu@127.0.0.1:5432/kepu_bench .venv/bin/python \
        bench/search_embedded.py                                     # PostgreSQL (migrated here)

Targets (issues 6 and 17): indexing 50,000 documents in under 2 minutes, p95 under 50 ms.
The index it builds replaces the embedded index of that database: never point it at a site's
real database.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = [
    "科普",
    "科学",
    "技术",
    "知识",
    "健康",
    "防疫",
    "疫苗",
    "病毒",
    "细菌",
    "免疫",
    "营养",
    "睡眠",
    "运动",
    "心理",
    "青少年",
    "老年人",
    "儿童",
    "家庭",
    "学校",
    "社区",
    "农村",
    "农业",
    "种植",
    "养殖",
    "土壤",
    "水稻",
    "小麦",
    "玉米",
    "蔬菜",
    "水果",
    "化肥",
    "农药",
    "天气",
    "气象",
    "台风",
    "暴雨",
    "地震",
    "火灾",
    "洪水",
    "应急",
    "避险",
    "急救",
    "安全",
    "用电",
    "燃气",
    "交通",
    "食品",
    "饮水",
    "环境",
    "垃圾",
    "分类",
    "节能",
    "减排",
    "碳中和",
    "森林",
    "湿地",
    "海洋",
    "动物",
    "植物",
    "昆虫",
    "鸟类",
    "恐龙",
    "化石",
    "宇宙",
    "星空",
    "月球",
    "火星",
    "太阳",
    "卫星",
    "火箭",
    "航天",
    "空间站",
    "北斗",
    "导航",
    "望远镜",
    "物理",
    "化学",
    "生物",
    "数学",
    "实验",
    "发明",
    "创新",
    "工程",
    "机器人",
    "人工智能",
    "计算机",
    "网络",
    "手机",
    "芯片",
    "量子",
    "材料",
    "能源",
    "电池",
    "新能源",
    "汽车",
    "桥梁",
    "建筑",
    "医学",
    "药物",
    "中医",
    "手术",
    "血压",
    "血糖",
    "感冒",
    "流感",
    "肺炎",
    "新冠",
    "口罩",
    "洗手",
    "体温",
    "检测",
    "传播",
    "预防",
    "治疗",
    "症状",
    "科学家",
    "研究",
    "发现",
    "观察",
    "记录",
    "数据",
    "原理",
    "方法",
    "问题",
    "答案",
    "故事",
    "历史",
    "未来",
    "生活",
    "世界",
    "中国",
]
GLUE = [
    "的",
    "是",
    "和",
    "在",
    "了",
    "也",
    "都",
    "可以",
    "为什么",
    "怎样",
    "如何",
    "我们",
    "大家",
    "通过",
    "因为",
    "所以",
    "如果",
    "就是",
]
# Characters for synthetic words, so the vocabulary has the long tail real text has.
CHARS = (
    "人民时间国家发展工作生产经济社会政治文化教育科学技术研究方法问题理论实践历史世界中国"
    "城市农村地区方面情况关系条件作用影响结构系统过程结果原因目的意义内容形式特点变化规律"
    "能力水平质量数量速度温度压力电力热量光线声音颜色形状大小长短高低快慢新旧好坏多少轻重"
    "山水河湖海洋天空云雨风雪冰土石沙金木火花草树叶果根茎鱼鸟虫兽牛羊马猪鸡鸭狗猫"
)
KINDS = ("article", "article", "article", "video", "video", "campaign", "quiz", "contest", "work")
TOPICS = ("防疫", "健康", "应急避险", "航天", "农业", "气象", "科技", "环境")
TRADITIONAL = ("疫苗", "計算機", "氣象", "衛星", "健康", "資料", "網路", "實驗", "電池", "醫學")
# How people type questions into a phone: a sentence around one or two words.
QUESTIONS = (
    "{0}是什么",
    "如何预防{0}",
    "{0}和{1}有什么关系",
    "为什么{0}会影响{1}",
    "{0}有哪些{1}知识",
    "怎样做好{0}",
)


class Vocabulary:
    """Words with a Zipf-like frequency (rank r drawn with weight 1 / (r + 10)), as in real text:
    the science words above among a long tail of synthetic two- and three-character words."""

    def __init__(self, rng: random.Random, size: int = 6000):
        words = set(WORDS)
        while len(words) < size:
            words.add("".join(rng.choice(CHARS) for _ in range(rng.choice((2, 2, 2, 3)))))
        self.words = sorted(words)
        rng.shuffle(self.words)
        weights = [1 / (rank + 10) for rank in range(len(self.words))]
        total, self.cumulative = 0.0, []
        for weight in weights:
            total += weight
            self.cumulative.append(total)

    def sample(self, rng: random.Random, count: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cumulative, k=count)


VOCABULARY = Vocabulary(random.Random(2026))  # noqa: S311 (synthetic data)


def sentence(rng: random.Random, words: int) -> str:
    parts = []
    for word in VOCABULARY.sample(rng, words):
        parts.append(word)
        if rng.random() < 0.35:
            parts.append(rng.choice(GLUE))
    return "".join(parts) + rng.choice("。，？！")


def documents(count: int, seed: int):
    from search.backends.base import SearchDocument

    rng = random.Random(seed)  # noqa: S311 (synthetic data)
    start = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    for i in range(count):
        title = sentence(rng, rng.randint(2, 5))[:-1]
        yield SearchDocument(
            key=f"bench:{i}",
            kind=rng.choice(KINDS),
            title=title,
            url=f"/bench/{i}/",
            summary=sentence(rng, 10),
            body="".join(sentence(rng, rng.randint(8, 16)) for _ in range(rng.randint(4, 10))),
            topics=tuple(rng.sample(TOPICS, rng.randint(1, 2))),
            date=start + datetime.timedelta(hours=rng.randint(0, 6 * 365 * 24)),
        )


def queries(count: int, seed: int):
    from search.backends.base import SearchQuery

    rng = random.Random(seed + 1)  # noqa: S311 (synthetic data)
    out = []
    for i in range(count):
        # What people type: mostly the topical words, sometimes a word from the text's tail.
        pool = [rng.choice(WORDS) if rng.random() < 0.7 else rng.choice(VOCABULARY.words[:2000])]
        pool += rng.sample(WORDS, rng.choice((0, 0, 1, 1, 1, 2)))
        text = " ".join(pool) if rng.random() < 0.5 else "".join(pool)
        if i % 10 == 0:
            text = rng.choice(TRADITIONAL)
        elif i % 5 == 1:
            text = rng.choice(QUESTIONS).format(*rng.sample(WORDS, 2))
        elif i % 50 == 2:
            text = rng.choice(WORDS)[0]  # a lone character
        kwargs = {}
        if i % 7 == 0:
            kwargs["kinds"] = ("article",)
        if i % 9 == 0:
            kwargs["sort"] = "date"
        if i % 11 == 0:
            kwargs["date_from"] = datetime.date(2023, 1, 1)
        if i % 13 == 0:
            kwargs["offset"] = 10
        out.append(SearchQuery(text=text, **kwargs))
    return out


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument(
        "--queries-only", action="store_true", help="time queries on the index already built"
    )
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="kepu-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kepu.settings.dev")
    os.environ.setdefault("KEPU_VAR_DIR", tmp)  # SQLite file (WAL) unless DATABASE_URL is set
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from search import dictionary, suggestions
    from search.backends import get_backend
    from search.backends.base import SearchQuery
    from search.text.pinyin import suggest_inputs

    call_command("migrate", "search", verbosity=0)
    backend = get_backend("embedded")
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    started = time.perf_counter()
    dictionary.warm_up()  # what gunicorn and Celery workers do when they start
    print(f"search dictionaries loaded in {(time.perf_counter() - started) * 1000:.0f} ms")
    suggest_inputs("预热")  # pypinyin, for the suggested terms (a worker's job)

    if not args.queries_only:
        started = time.perf_counter()
        written = backend.rebuild(documents(args.documents, args.seed))
        indexing = time.perf_counter() - started
        print(f"indexed {written} documents in {indexing:.1f} s ({written / indexing:.0f} docs/s)")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_pg_vector; ANALYZE search_indexeddocument")

    suggestions.refresh_terms()
    batch = queries(args.queries, args.seed)
    started = time.perf_counter()
    backend.search(batch[0])
    print(f"first search after start-up: {(time.perf_counter() - started) * 1000:.1f} ms")
    for query in batch[:20]:  # warm caches
        backend.search(query)
    timings, totals = [], []
    for query in batch:
        started = time.perf_counter()
        results = backend.search(query)
        timings.append((time.perf_counter() - started) * 1000)
        totals.append(results.total)
    print(
        f"{len(batch)} queries: p50 {percentile(timings, 50):.1f} ms, "
        f"p95 {percentile(timings, 95):.1f} ms, p99 {percentile(timings, 99):.1f} ms, "
        f"max {max(timings):.1f} ms; median matches {statistics.median(totals):.0f}"
    )
    suggest_timings = []
    rng = random.Random(args.seed)  # noqa: S311 (synthetic data)
    for _ in range(200):
        prefix = rng.choice([rng.choice(WORDS)[:1], rng.choice(WORDS), "ke", "kx", "fy", "jk"])
        started = time.perf_counter()
        backend.suggest(prefix)
        suggestions.suggest_terms(prefix)
        suggest_timings.append((time.perf_counter() - started) * 1000)
    print(
        f"200 suggestions (titles and terms): p50 {percentile(suggest_timings, 50):.1f} ms, "
        f"p95 {percentile(suggest_timings, 95):.1f} ms"
    )
    slowest = sorted(zip(timings, batch, totals, strict=True), key=lambda x: -x[0])[:3]
    for ms, query, total in slowest:
        print(f"  slowest: {ms:.1f} ms {query.text!r} ({total} matches)")
    backend.search(SearchQuery(text="疫苗"))


if __name__ == "__main__":
    main()

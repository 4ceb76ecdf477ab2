"""Seeds the benchmark's data set in bulk, on PostgreSQL (scripts/bench starts from a fresh DB).

The full data set (`Sizes()`): 10,000 articles and 1,000 videos in 8 sections, a quiz with a
bank of 500 questions and 200,000 finished attempts (with their papers, answers, one answer
batch each and the item-analysis counters) by 150,000 participants, a contest with 2,000
entries and 300,000 votes, plus the accounts the load generator signs in with (sessions
created here, so signing in is not what is measured). The search index is built at the end.

Pages are inserted with `bulk_create` and hand-computed treebeard paths (Wagtail's
`add_child` costs several queries per page); `check_page_tree()` then verifies the tree.
The big tables are filled by `INSERT … SELECT generate_series(…)` inside PostgreSQL.
Run as `python -m bench.seed --manifest FILE` with the same settings and secret key as the
server (the session cookies are signed with it).
"""

import argparse
import json
import secrets
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path

from bench import bookdrift

WORDS = [
    ("防疫", "fangyi", ["疫苗", "洗手", "口罩", "流感", "传染病", "消毒"]),
    ("健康", "jiankang", ["睡眠", "营养", "运动", "血压", "近视", "膳食"]),
    ("应急避险", "yingji", ["地震", "火灾", "台风", "溺水", "急救", "逃生"]),
    ("航天", "hangtian", ["火箭", "卫星", "空间站", "月球", "航天员", "火星"]),
    ("农业", "nongye", ["水稻", "种子", "化肥", "大棚", "病虫害", "灌溉"]),
    ("环境", "huanjing", ["垃圾分类", "节水", "雾霾", "湿地", "碳中和", "噪声"]),
    ("生活", "shenghuo", ["用电安全", "燃气", "食品安全", "网络诈骗", "防晒", "养老"]),
    ("科技前沿", "qianyan", ["人工智能", "量子", "芯片", "基因", "机器人", "新能源"]),
]
SEARCH_TERMS = [term for _, _, terms in WORDS for term in terms]
SENTENCES = [
    "科学家通过长期观察和实验，总结出{t}的基本规律。",
    "很多人对{t}存在误解，其实只要掌握几个要点就能正确应对。",
    "专家提醒，关于{t}的知识应当从小学起，并在生活中反复练习。",
    "社区科普活动中，志愿者用通俗的语言讲解了{t}的原理和注意事项。",
    "了解{t}，可以帮助我们更好地保护自己和家人。",
]


@dataclass(frozen=True)
class Sizes:
    """How much to seed; the defaults are the benchmark's data set (issue 7)."""

    sections: int = 8
    articles: int = 10_000
    videos: int = 1_000
    questions: int = 500
    questions_per_attempt: int = 10
    participants: int = 150_000
    attempts: int = 200_000
    entries: int = 2_000
    votes: int = 300_000
    quiz_takers: int = 6_000
    voters: int = 10_000
    votes_per_day: int = 5
    drift_copies_per_book: int = 200
    drift_readers: int = 300


@dataclass
class Manifest:
    """What the load generator needs to know about the seeded data (written as JSON)."""

    quiz_id: int = 0
    quiz_page_url: str = ""
    questions_per_attempt: int = 0
    contest_id: int = 0
    entry_numbers: list[int] = field(default_factory=list)
    section_urls: list[str] = field(default_factory=list)
    article_urls: list[str] = field(default_factory=list)
    search_terms: list[str] = field(default_factory=list)
    votes_per_day: int = 0
    session_cookie_name: str = "sessionid"
    csrf_cookie_name: str = "csrftoken"
    quiz_sessions: list[str] = field(default_factory=list)
    voter_sessions: list[str] = field(default_factory=list)
    bookdrift: dict = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    tree_problems: list[str] = field(default_factory=list)


def _table(model) -> str:
    return model._meta.db_table


def _execute(sql: str, params=None) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.rowcount


# --- content ---------------------------------------------------------------------------------


def _paragraph(term: str, n: int) -> str:
    text = "".join(SENTENCES[(n + i) % len(SENTENCES)].format(t=term) for i in range(3))
    return f"<p>{text}</p>"


def _bulk_pages(parent, pages: list) -> list:
    """Inserts `pages` (unsaved instances of Page subclasses) as the last children of
    `parent`, with valid treebeard paths, depth, url_path and parent numchild."""
    from django.db.models import F
    from wagtail.models import Page

    if not pages:
        return []
    last = parent.get_last_child()
    start = Page._str2int(last.path[-Page.steplen :]) + 1 if last else 1
    depth = parent.depth + 1
    for offset, page in enumerate(pages):
        page.path = Page._get_path(parent.path, depth, start + offset)
        page.depth = depth
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.draft_title = page.title
        page.live = True
        page.has_unpublished_changes = False
        page.locale_id = parent.locale_id
        page.first_published_at = page.last_published_at = page.latest_revision_created_at
    base_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    rows = [Page(**{f.attname: getattr(page, f.attname) for f in base_fields}) for page in pages]
    for row, page in zip(rows, pages, strict=True):
        row.content_type_id = page.content_type_id
    Page.objects.bulk_create(rows, batch_size=1000)
    for row, page in zip(rows, pages, strict=True):
        page.pk = page.page_ptr_id = row.pk
    for model in {type(page) for page in pages}:
        own = [page for page in pages if type(page) is model]
        local = list(model._meta.local_concrete_fields)
        for batch_start in range(0, len(own), 1000):
            model._base_manager._insert(own[batch_start : batch_start + 1000], fields=local)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
    parent.refresh_from_db()
    return pages


def _bench_video():
    """One small clip, transcoded for phones, that every seeded video page shows."""
    from django.core.files import File

    from content.models import Video
    from content.video.transcoding import transcode
    from demo.content import demo_clip
    from kepu import system_tools

    video = Video.objects.filter(title="基准测试短片").first()
    if video is not None:
        return video
    video = Video(title="基准测试短片")
    if system_tools.ffmpeg_path() is None:
        video.save()
        return video
    with tempfile.TemporaryDirectory() as directory:
        clip = demo_clip({"slug": "bench-clip", "colour": "teal"}, Path(directory))
        with clip.open("rb") as handle:
            video.original.save(clip.name, File(handle), save=False)
        video.save()
    transcode(video.pk)
    video.refresh_from_db()
    return video


def seed_content(sizes: Sizes, manifest: Manifest) -> None:
    """Sections, topics, articles and videos (pages live, spread evenly over the sections)."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from wagtail.rich_text import RichText

    from content.models import ArticlePage, SectionPage, Topic, VideoPage
    from demo.content import ensure_home_page

    home, _ = ensure_home_page()
    topics = []
    for order, (name, slug, _terms) in enumerate(WORDS):
        topic, _ = Topic.objects.get_or_create(
            slug=f"bench-{slug}", defaults={"name": f"{name}专题", "sort_order": order}
        )
        topics.append(topic)
    sections = []
    for name, slug, _terms in WORDS[: sizes.sections]:
        section = SectionPage.objects.child_of(home).filter(slug=slug).first()
        if section is None:
            section = home.add_child(
                instance=SectionPage(title=name, slug=slug, intro=f"{name}科普知识")
            )
        sections.append(section)
    video = _bench_video() if sizes.videos else None
    now = timezone.now()
    article_type = ContentType.objects.get_for_model(ArticlePage)
    video_type = ContentType.objects.get_for_model(VideoPage)
    per_section: dict[int, list] = {s.pk: [] for s in sections}
    topic_links = []
    for kind, count in (("article", sizes.articles), ("video", sizes.videos)):
        for n in range(count):
            index = n % len(sections)
            name, _slug, terms = WORDS[index]
            # Every term of the section in turn (n % len(terms) would skip half of them).
            term = terms[(n // len(sections)) % len(terms)]
            published = now - timedelta(minutes=n)
            common = {
                "title": f"{term}：{name}科普第{n + 1}期",
                "slug": f"{kind}-{n + 1}",
                "summary": f"关于{term}，你需要知道的几件事。",
                "date": published.date(),
                "latest_revision_created_at": published,
            }
            if kind == "article":
                page = ArticlePage(
                    **common,
                    body=[("paragraph", RichText(_paragraph(term, n + i))) for i in range(4)],
                    author="科普编辑部",
                    reading_minutes=3,
                    content_type=article_type,
                )
            else:
                page = VideoPage(
                    **common,
                    video=video,
                    description=f"一段关于{term}的科普短视频。",
                    transcript="".join(SENTENCES[i].format(t=term) for i in range(3)),
                    content_type=video_type,
                )
            per_section[sections[index].pk].append(page)
            topic_links.append((page, topics[index]))
    for section in sections:
        _bulk_pages(section, per_section[section.pk])
    for model in (ArticlePage, VideoPage):
        through = model.topics.through
        through.objects.bulk_create(
            [
                through(**{"topic_id": topic.pk, f"{model._meta.model_name}_id": page.pk})
                for page, topic in topic_links
                if isinstance(page, model)
            ],
            batch_size=5000,
        )
    manifest.section_urls = [s.url_path[len(home.url_path) - 1 :] for s in sections]
    articles = [p for pages in per_section.values() for p in pages if isinstance(p, ArticlePage)]
    step = max(1, len(articles) // 500)
    manifest.article_urls = [p.url_path[len(home.url_path) - 1 :] for p in articles[::step]]
    manifest.search_terms = SEARCH_TERMS[:]


def check_page_tree(sample_parent=None) -> list[str]:
    """Structural checks of the whole page tree in SQL, plus treebeard's own `find_problems`
    under one section (it costs a query per node). Returns the problems found, if any."""
    from wagtail.models import Page

    table = _table(Page)
    problems = []
    checks = {
        "path length differs from depth": (
            f"SELECT count(*) FROM {table} WHERE length(path) <> depth * %s",
            [Page.steplen],
        ),
        "orphans (no parent path)": (
            f"SELECT count(*) FROM {table} c WHERE c.depth > 1 AND NOT EXISTS "
            f"(SELECT 1 FROM {table} p WHERE p.path = substr(c.path, 1, length(c.path) - %s))",
            [Page.steplen],
        ),
        "wrong numchild": (
            f"SELECT count(*) FROM {table} p LEFT JOIN (SELECT substr(path, 1, length(path) - %s) "
            f"AS parent, count(*) AS n FROM {table} GROUP BY 1) c ON c.parent = p.path "
            "WHERE p.numchild <> coalesce(c.n, 0)",
            [Page.steplen],
        ),
        "duplicate paths": (
            f"SELECT count(*) FROM (SELECT path FROM {table} GROUP BY path HAVING count(*) > 1) d",
            [],
        ),
    }
    from django.db import connection

    with connection.cursor() as cursor:
        for label, (sql, params) in checks.items():
            cursor.execute(sql, params)
            found = cursor.fetchone()[0]
            if found:
                problems.append(f"{label}: {found}")
    if sample_parent is not None:
        found = Page.find_problems(parent=sample_parent)
        names = ("evil chars", "bad step length", "orphans", "wrong depth", "wrong numchild")
        problems += [
            f"treebeard {n}: {ids[:5]}" for n, ids in zip(names, found, strict=True) if ids
        ]
    return problems


# --- accounts ----------------------------------------------------------------------------------


def _seed_users(prefix: str, phone_prefix: str, count: int) -> None:
    """`count` adult accounts with a verified phone, joined a month ago (not "new")."""
    from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
    from django.utils import timezone

    from accounts.models import User

    # An unusable password: bench accounts sign in only through the seeded sessions.
    joined = timezone.now() - timedelta(days=30)
    _execute(
        f"INSERT INTO {_table(User)} (password, last_login, is_superuser, username, "
        "first_name, last_name, email, is_staff, is_active, date_joined, phone, phone_verified, "
        "display_name, birth_year, birth_month, consent_status) "
        "SELECT %s, NULL, false, %s || g, '', '', '', false, true, %s, "
        "%s || lpad(g::text, 8, '0'), true, '', 1960 + g %% 45, 1 + g %% 12, 'not_required' "
        "FROM generate_series(1, %s) g",
        [UNUSABLE_PASSWORD_PREFIX, prefix, joined, phone_prefix, count],
    )


def _sessions(prefix: str) -> list[str]:
    """A signed-in session for every account named `prefix…`; returns the session keys."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from accounts.models import User

    users = list(User.objects.filter(username__startswith=prefix).order_by("pk"))
    store = SessionStore()
    expires = timezone.now() + timedelta(days=2)
    backend = settings.AUTHENTICATION_BACKENDS[0]
    rows = []
    for user in users:
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: backend,
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        rows.append(
            Session(
                session_key=secrets.token_hex(16),
                session_data=store.encode(data),
                expire_date=expires,
            )
        )
    Session.objects.bulk_create(rows, batch_size=5000)
    return [row.session_key for row in rows]


# --- quiz --------------------------------------------------------------------------------------


def seed_quiz(sizes: Sizes, manifest: Manifest) -> None:
    """A question bank, an open quiz with its page, and the finished attempts (with drawn
    questions, saved answers and the leaderboard) of the participants `bench-p…`."""
    from django.utils import timezone

    from accounts.models import User
    from competitions.quizzes.item_analysis import counters
    from competitions.quizzes.models import (
        AnswerBatch,
        Choice,
        LeaderboardEntry,
        Question,
        QuestionBank,
        Quiz,
        QuizAttempt,
        QuizPage,
    )
    from competitions.quizzes.models.banks import stem_fingerprint
    from content.models import HomePage

    now = timezone.now()
    bank = QuestionBank.objects.create(name="基准测试题库")
    questions = []
    for n in range(sizes.questions):
        term = SEARCH_TERMS[n % len(SEARCH_TERMS)]
        questions.append(
            Question(
                bank=bank,
                kind=Question.Kind.SINGLE,
                difficulty="easy",
                stem=f"第{n + 1}题：关于{term}，下列说法正确的是？",
                explanation=f"{term}的正确做法见本期科普文章。",
            )
        )
        questions[-1].fingerprint = stem_fingerprint(questions[-1].stem)
    Question.objects.bulk_create(questions)
    Choice.objects.bulk_create(
        Choice(question=q, text=f"说法{'甲乙丙丁'[i]}", is_correct=i == 0, sort_order=i)
        for q in questions
        for i in range(4)
    )
    quiz = Quiz.objects.create(
        title="全民科学素质知识竞答",
        bank=bank,
        opens_at=now - timedelta(days=30),
        closes_at=now + timedelta(days=30),
        questions_per_attempt=sizes.questions_per_attempt,
        time_limit_seconds=1800,
        attempts_per_day=0,
        attempts_total=0,
        sign_in_required=True,
        pass_mark=60,
    )
    home = HomePage.objects.first()
    page = home.add_child(
        instance=QuizPage(title=quiz.title, slug="quiz", summary="答题赢奖品", quiz=quiz)
    )
    manifest.quiz_id = quiz.pk
    manifest.quiz_page_url = page.url_path[len(home.url_path) - 1 :]
    manifest.questions_per_attempt = sizes.questions_per_attempt

    participants = (
        f"SELECT id, row_number() OVER (ORDER BY id) AS n FROM {_table(User)} "
        "WHERE username LIKE 'bench-p%%'"
    )
    per_person = -(-sizes.attempts // max(1, sizes.participants))
    q = sizes.questions_per_attempt
    step = sizes.questions // q
    _execute("DROP TABLE IF EXISTS bench_qmap")
    _execute(
        "CREATE TEMP TABLE bench_qmap AS SELECT row_number() OVER (ORDER BY q.id) - 1 AS idx, "
        "q.id AS question_id, "
        f"(SELECT jsonb_agg(c.id ORDER BY c.sort_order, c.id) FROM {_table(Choice)} c "
        "WHERE c.question_id = q.id) AS choices, "
        f"(SELECT min(c.id) FROM {_table(Choice)} c WHERE c.question_id = q.id AND c.is_correct) "
        "AS right_id, "
        f"(SELECT max(c.id) FROM {_table(Choice)} c "
        "WHERE c.question_id = q.id AND NOT c.is_correct) "
        f"AS wrong_id FROM {_table(Question)} q WHERE q.bank_id = %s",
        [bank.pk],
    )
    # Attempt k (0-based) of participant n, on a past quiz day, with a varied score and time;
    # its paper (distinct questions), answers (the first `score` right) and verdicts are the
    # compact columns the services write.
    drawn = (
        "FROM generate_series(1, %s) pos JOIN bench_qmap m "
        "ON m.idx = (a.n * 7 + a.k * 13 + pos * %s) %% %s"
    )
    _execute(
        f"WITH p AS ({participants}), a AS (SELECT p.id, p.n, k, "
        "(current_date - 1 - (p.n %% 7)::int - k * 7) AS day, "
        "(60000 + (p.n * 7919 + k * 104729) %% 500000) AS ms, "
        "((p.n * 7 + k * 3) %% (%s + 1)) AS score "
        "FROM p CROSS JOIN generate_series(0, %s - 1) k WHERE (p.n - 1) + k * %s < %s) "
        f"INSERT INTO {_table(QuizAttempt)} (public_id, quiz_id, user_id, participant_key, "
        "unit_id, day, day_number, total_number, status, started_at, deadline, submitted_at, "
        "submit_token, score, max_score, duration_ms, flagged_fast, paper, answers, verdicts, "
        "last_saved_at, page_leaves, device, device_switches, auto_submitted) "
        "SELECT gen_random_uuid(), %s, a.id, 'u:' || a.id, NULL, a.day, 1, a.k + 1, 'submitted', "
        "(a.day + time '10:00') AT TIME ZONE 'Asia/Shanghai', "
        "(a.day + time '10:30') AT TIME ZONE 'Asia/Shanghai', "
        "(a.day + time '10:00') AT TIME ZONE 'Asia/Shanghai' + a.ms * interval '1 millisecond', "
        "gen_random_uuid(), a.score, %s, a.ms, false, "
        f"(SELECT jsonb_agg(jsonb_build_array(m.question_id, m.choices) ORDER BY pos) {drawn}), "
        "(SELECT jsonb_agg(jsonb_build_array(1, jsonb_build_array(CASE WHEN pos <= a.score "
        f"THEN m.right_id ELSE m.wrong_id END)) ORDER BY pos) {drawn}), "
        "repeat('1', a.score::int) || repeat('0', (%s - a.score)::int), "
        "(a.day + time '10:00') AT TIME ZONE 'Asia/Shanghai' + a.ms * interval '1 millisecond', "
        "0, '', 0, '' FROM a",
        [q, per_person, sizes.participants, sizes.attempts, quiz.pk, q]
        + [q, step, sizes.questions] * 2
        + [q],
    )
    # One batch per attempt (the protocol sends one or two), so its token index is campaign-sized.
    _execute(
        f"INSERT INTO {_table(AnswerBatch)} (token, attempt_id, received_at, answers, applied) "
        "SELECT gen_random_uuid(), a.id, a.last_saved_at, "
        "(SELECT jsonb_agg(jsonb_build_array(i, e->0, e->1)) "
        "FROM jsonb_array_elements(a.answers) WITH ORDINALITY t(e, i)), a.max_score "
        f"FROM {_table(QuizAttempt)} a WHERE a.quiz_id = %s",
        [quiz.pk],
    )
    _execute(
        f"INSERT INTO {_table(LeaderboardEntry)} (quiz_id, participant_key, user_id, attempt_id, "
        "score, duration_ms, achieved_at) "
        "SELECT DISTINCT ON (participant_key) quiz_id, participant_key, user_id, id, score, "
        f"duration_ms, submitted_at FROM {_table(QuizAttempt)} WHERE quiz_id = %s "
        "AND status <> 'in_progress' "
        "ORDER BY participant_key, score DESC, duration_ms, submitted_at",
        [quiz.pk],
    )
    _execute("DROP TABLE bench_qmap")
    # The live item-analysis counters, as the submits would have kept them.
    counters.rebuild(quiz.pk)


# --- contest and votes -----------------------------------------------------------------------


def seed_contest(sizes: Sizes, manifest: Manifest) -> None:
    """A contest in its public vote with `entries` submitted entries (authors `bench-p…`)
    and `votes` past votes by the participants."""
    from django.utils import timezone

    from accounts.models import User
    from competitions.submissions.models import Contest, ContestGroup, Entry, EntryKind
    from competitions.voting.models import Vote

    now = timezone.now()
    day = timedelta(days=1)
    contest = Contest.objects.create(
        title="科学实验短视频人气评选",
        entry_kinds=[EntryKind.TEXT],
        submission_opens_at=now - 30 * day,
        submission_closes_at=now - 20 * day,
        review_ends_at=now - 10 * day,
        voting_opens_at=now - 15 * day,
        voting_closes_at=now + 15 * day,
        results_at=now + 20 * day,
        votes_per_day=sizes.votes_per_day,
    )
    groups = [
        ContestGroup.objects.create(contest=contest, name=name, sort_order=order)
        for order, name in enumerate(["小学组", "初中组"])
    ]
    participants = (
        f"SELECT id, row_number() OVER (ORDER BY id) AS n FROM {_table(User)} "
        "WHERE username LIKE 'bench-p%%'"
    )
    _execute(
        f"WITH p AS ({participants}) INSERT INTO {_table(Entry)} (public_id, contest_id, group_id, "
        "author_id, number, kind, title, description, text, school_id, grade, teacher, co_authors, "
        "display_consent, status, created_at, updated_at, submitted_at) "
        "SELECT gen_random_uuid(), %s, CASE WHEN p.n %% 2 = 0 THEN %s ELSE %s END, p.id, p.n, "
        "'text', '我的科学小实验' || p.n, '', repeat('我观察到的现象和我的解释。', 20), "
        "NULL, '', '', "
        "'', true, 'submitted', %s, %s, %s FROM p WHERE p.n <= %s",
        [
            contest.pk,
            groups[0].pk,
            groups[1].pk,
            now - 25 * day,
            now - 25 * day,
            now - 25 * day,
            sizes.entries,
        ],
    )
    per_voter = -(-sizes.votes // max(1, sizes.participants))
    spread = max(1, sizes.entries // per_voter)
    _execute(
        f"WITH p AS ({participants}), e AS (SELECT id, row_number() OVER (ORDER BY number) - 1 "
        f"AS idx FROM {_table(Entry)} WHERE contest_id = %s), v AS (SELECT p.id, p.n, k, "
        "(current_date - 1 - (p.n %% 10)::int) AS day "
        "FROM p CROSS JOIN generate_series(0, %s - 1) k "
        "WHERE (p.n - 1) * %s + k < %s) "
        f"INSERT INTO {_table(Vote)} (entry_id, contest_id, voter_id, day, slot, created_at, "
        "ip_network, ip_hash, user_agent_family, voided, voided_reason, voided_by_id, voided_at) "
        "SELECT e.id, %s, v.id, v.day, v.k + 1, "
        "(v.day + time '12:00') AT TIME ZONE 'Asia/Shanghai', "
        "'203.0.113.0/24', md5(v.id::text), 'WeChat', false, '', NULL, NULL "
        "FROM v JOIN e ON e.idx = ((v.n * 7 + v.k * %s) %% %s)",
        [contest.pk, per_voter, per_voter, sizes.votes, contest.pk, spread, sizes.entries],
    )
    manifest.contest_id = contest.pk
    manifest.votes_per_day = contest.votes_per_day
    manifest.entry_numbers = list(
        Entry.objects.filter(contest=contest).order_by("number").values_list("number", flat=True)
    )


# --- search ----------------------------------------------------------------------------------


def seed_bookdrift(sizes: Sizes) -> dict:
    """The book drift scenario's data (bench/bookdrift.py): at least 20 copies per title."""
    return bookdrift.seed(
        bookdrift.DriftSizes(
            copies_per_book=max(20, sizes.drift_copies_per_book), readers=sizes.drift_readers
        ),
        _sessions,
    )


def build_search_index() -> str:
    """Builds the search index with the search app's rebuild command, else Wagtail's."""
    from django.core.management import call_command, get_commands

    for command in ("rebuild_search_index", "search_rebuild", "rebuild_index"):
        if command in get_commands():
            call_command(command)
            return command
    call_command("update_index", verbosity=0)
    return "update_index"


# --- all of it -------------------------------------------------------------------------------


def table_counts() -> dict[str, int]:
    """Row counts of the tables the benchmark checks after each run."""
    from django.db.models import Sum, Value
    from django.db.models.functions import Length, Replace

    from competitions.quizzes.models import (
        AnswerBatch,
        ItemCounter,
        LeaderboardEntry,
        QuizAttempt,
    )
    from competitions.voting.models import Vote

    finished = QuizAttempt.objects.exclude(status="in_progress")
    return {
        "finished_attempts": finished.count(),
        "open_attempts": QuizAttempt.objects.filter(status="in_progress").count(),
        "answer_batches": AnswerBatch.objects.count(),
        # Answered questions of finished attempts: "1" or "0" in their verdicts, not "-".
        "answered_in_finished": finished.aggregate(
            n=Sum(Length(Replace("verdicts", Value("-"), Value(""))))
        )["n"]
        or 0,
        # Questions counted by the item analysis: exactly those of the finished attempts.
        "item_counter_drawn": ItemCounter.objects.filter(kind="s").aggregate(n=Sum("n"))["n"] or 0,
        "leaderboard": LeaderboardEntry.objects.count(),
        "votes": Vote.objects.count(),
        **bookdrift.table_counts(),
    }


def seed(sizes: Sizes = Sizes(), *, build_index: bool = True, log=print) -> Manifest:
    """Seeds everything into an empty database and returns the manifest (with timings).

    Guarantees: every seeded page is live with a valid treebeard path (checked; problems are
    listed in `manifest.tree_problems`), the counts match `sizes`, and the bench accounts
    have signed-in sessions valid for two days.
    """
    from django.conf import settings
    from django.db import transaction

    manifest = Manifest(
        session_cookie_name=settings.SESSION_COOKIE_NAME,
        csrf_cookie_name=settings.CSRF_COOKIE_NAME,
    )

    def step(name, function, *args):
        started = time.monotonic()
        with transaction.atomic():
            result = function(*args)
        manifest.timings[name] = round(time.monotonic() - started, 2)
        log(f"  {name}: {manifest.timings[name]} s")
        return result

    total = time.monotonic()
    step("accounts", _seed_users, "bench-p", "+86139", sizes.participants)
    step("bench accounts", _seed_users, "bench-q", "+86138", sizes.quiz_takers)
    step("voter accounts", _seed_users, "bench-v", "+86137", sizes.voters)
    manifest.quiz_sessions = step("quiz sessions", _sessions, "bench-q")
    manifest.voter_sessions = step("voter sessions", _sessions, "bench-v")
    step("content pages", seed_content, sizes, manifest)
    step("quiz and attempts", seed_quiz, sizes, manifest)
    step("contest and votes", seed_contest, sizes, manifest)
    manifest.bookdrift = step("book drift", seed_bookdrift, sizes)
    from content.models import SectionPage

    manifest.tree_problems = step("page tree check", check_page_tree, SectionPage.objects.first())
    if build_index:
        started = time.monotonic()
        command = build_search_index()
        manifest.timings[f"search index ({command})"] = round(time.monotonic() - started, 2)
        log(f"  search index ({command}): {manifest.timings[f'search index ({command})']} s")
    _execute("ANALYZE")
    manifest.timings["total"] = round(time.monotonic() - total, 2)
    manifest.counts = table_counts()
    return manifest


# Not scaled by --scale: the shape of the quiz and contest, and enough accounts to sign in with.
FIXED_SIZES = {
    "sections",
    "questions",
    "questions_per_attempt",
    "votes_per_day",
    "quiz_takers",
    "voters",
    "drift_readers",
}


def main(argv=None) -> int:
    import django

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", required=True, type=Path)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every size by this")
    args = parser.parse_args(argv)
    django.setup()
    base = Sizes()
    sizes = Sizes(
        **{
            name: max(1, int(value * args.scale)) if name not in FIXED_SIZES else value
            for name, value in asdict(base).items()
        }
    )
    print(f"==> seeding (scale {args.scale})")
    manifest = seed(sizes)
    args.manifest.write_text(json.dumps(asdict(manifest), ensure_ascii=False, indent=1))
    if manifest.tree_problems:
        print("page tree problems:", manifest.tree_problems, file=sys.stderr)
        return 1
    print(f"==> seeded in {manifest.timings['total']} s: {manifest.counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

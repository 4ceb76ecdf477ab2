"""Fixtures shared by the whole suite.

The test command (scripts/test) starts PostgreSQL and Redis and exports their URLs; the
`celery_worker` fixture starts a real worker process on that Redis broker and the test
database, the `page` fixture drives Debian's headless Chromium through Playwright, and the
`s3` fixture puts every file of a test in buckets of a real S3 protocol server (moto's).
"""

import os
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
# A mid-range Android phone.
PHONE_VIEWPORT = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def _isolated_cache():
    """Each test starts with an empty cache (rate-limit counters, navigation) and forgets the
    per-process memos kept in step with it (kepu/memo.py)."""
    from django.core.cache import cache

    from kepu.memo import forget_all

    cache.clear()
    forget_all()
    yield


@pytest.fixture
def only_the_wheels_ffmpeg(tmp_path, monkeypatch, settings) -> str:
    """The site as on a machine without Debian's ffmpeg: no ffmpeg or ffprobe on the PATH and
    none configured, so it falls back to the imageio-ffmpeg wheel's binary (returned)."""
    from kepu import system_tools

    empty = tmp_path / "bin-without-ffmpeg"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    settings.KEPU_FFMPEG = ""
    settings.KEPU_FFPROBE = ""
    ffmpeg = system_tools.ffmpeg_path()
    assert ffmpeg and "imageio_ffmpeg" in ffmpeg
    assert system_tools.ffprobe_path() is None
    return ffmpeg


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KEPU_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    yield


@pytest.fixture
def wagtail_tree(transactional_db):
    """Recreates what Wagtail's data migrations provide, for tests with real transactions.

    Transactional tests flush every table afterwards, including the rows migrations created
    (default locale, root page, root collection).
    """
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Collection, Locale, Page

    from demo.content import ROOT_TITLE

    # A flush (or a restored demo) may have given the content types new ids: the process's
    # cache of them must not hand out the old ones. It then holds every model's, as they are
    # now: a serialized rollback restoring the next test's rows saves some that look theirs
    # up before the content types' own rows are back, and a miss would create them anew
    # (the restore then fails on a duplicate).
    ContentType.objects.clear_cache()
    ContentType.objects.get_for_models(*apps.get_models())
    locale, _ = Locale.objects.get_or_create(language_code="zh-hans")
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title=ROOT_TITLE, slug="root", locale=locale))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    yield


@pytest.fixture(scope="session")
def _demo_snapshots() -> dict:
    """This process's recordings of load_demo (tests/demo_snapshot.py), one per starting point:
    whether the load commits, and the rows each table held before it."""
    return {}


@pytest.fixture
def demo_site(request, db, _demo_snapshots, tmp_path_factory):
    """The demo site exactly as `load_demo` leaves it, in a second rather than half a minute.

    The first test from a given starting point in this process (in a test's transaction or
    with real transactions, where the load's commit runs the outbox jobs; the rows each table
    holds) runs the real `load_demo` and records what it changed; later ones get that
    recording written back: rows, sequences, media files, cache entries
    (tests/demo_snapshot.py). Ask for it before fixtures that write to the database, or it
    runs a load of its own.

    The site search's full-text tables are no model's, so the flush that ends a test with
    real transactions leaves their rows behind: they are emptied before the demo and after
    such a test.

    Its value is the load's summary, the lines `load_demo` printed."""
    from search.backends import get_backend
    from tests.demo_snapshot import record_load, starting_point

    committed = not connection.in_atomic_block
    if committed:
        request.getfixturevalue("wagtail_tree")
    get_backend("embedded").clear()
    key = (committed, starting_point())
    snapshot = _demo_snapshots.get(key)
    if snapshot is None:
        snapshot = _demo_snapshots[key] = record_load(tmp_path_factory.mktemp("demo-snapshot"))
    else:
        snapshot.restore()
    yield snapshot.report
    if committed:
        get_backend("embedded").clear()


# Data migrations that create the staff groups and their permissions, in migration order.
GROUP_MIGRATIONS = [
    ("content", "0003_editorial_groups_and_workflow"),
    ("content", "0005_video_permissions"),
    ("submissions", "0002_entry_permissions"),
    ("quizzes", "0003_organiser_group"),
    ("quizzes", "0010_organisers_run_prize_draws"),
    ("judging", "0002_organiser_permissions"),
    ("voting", "0002_organiser_permissions"),
    ("bookdrift", "0002_layouts_and_organisers"),
]


@pytest.fixture
def staff_groups(wagtail_tree):
    """The staff groups (竞赛组织者, 编辑 …) exactly as the data migrations make them, for tests
    with real transactions: a flush drops them, and after one a serialized rollback brings
    back groups whose permission ids no longer exist. Runs those migrations' own functions."""
    from django.contrib.auth.models import Group
    from django.db.migrations import RunPython
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection)
    state_apps = loader.project_state().apps
    Group.objects.all().delete()
    for app_label, name in GROUP_MIGRATIONS:
        for operation in loader.get_migration(app_label, name).operations:
            if isinstance(operation, RunPython):
                operation.code(state_apps, None)
    yield


# --- Celery -------------------------------------------------------------------------------


@pytest.fixture
def celery_worker(transactional_db):
    """A real `celery worker` process on the Redis broker, using the test database.

    While it runs, tasks are sent to the broker instead of running eagerly.
    """
    if not os.environ.get("KEPU_TEST_REDIS_URL"):
        pytest.fail("celery_worker needs Redis: run the suite through scripts/test")
    from kepu.celery import app

    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kepu.settings.test",
        "KEPU_TEST_DATABASE_URL": database_url,
        "KEPU_TEST_CELERY_EAGER": "0",
        "KEPU_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "KEPU_TEST_PRIVATE_MEDIA_ROOT": str(settings.KEPU_PRIVATE_MEDIA_ROOT),
    }
    app.control.purge()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "kepu",
            "worker",
            "--include",
            "tests.outbox.targets",  # the outbox tests' own job
            "--pool",
            "solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "INFO",
            "--hostname",
            f"test-{os.getpid()}@localhost",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"celery worker exited:\n{proc.stdout.read()}")
            replies = app.control.ping(timeout=0.5)
            if replies:
                break
        else:
            pytest.fail("celery worker did not answer a ping within 30 s")
        yield proc
    finally:
        app.conf.task_always_eager = previous
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


# --- Browser ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; Django's ORM must still be
    # usable from the test body.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A phone-sized browser page; fails the test on any console error or page error."""
    context = browser.new_context(
        viewport=PHONE_VIEWPORT,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        base_url=live_server.url,
    )
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.console_errors = errors
    yield page
    context.close()
    assert not errors, f"browser console errors: {errors}"


# --- Object storage -----------------------------------------------------------------------

S3_KEYS = {"KEPU_S3_ACCESS_KEY_ID": "kepu-test", "KEPU_S3_SECRET_ACCESS_KEY": "kepu-test-secret"}


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 server in its own process on a free loopback port; its address."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                pytest.fail(f"moto server exited:\n{proc.stderr.read()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("moto server did not listen within 30 s")
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=15)


@dataclass
class Buckets:
    client: object
    media: str
    private: str

    def keys(self, bucket: str) -> set[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
        return {item["Key"] for page in pages for item in page.get("Contents", [])}


@pytest.fixture
def s3(s3_server, settings, monkeypatch):
    """Public media and private files of this test in two fresh buckets of the S3 server,
    configured exactly as an operator would (the KEPU_S3_* variables, also seen by a
    `celery_worker` started after this fixture)."""
    import boto3

    from kepu.settings.object_storage import object_storage

    suffix = uuid.uuid4().hex[:12]
    env = {
        **S3_KEYS,
        "KEPU_S3_ENDPOINT_URL": s3_server,
        "KEPU_S3_REGION": "us-east-1",
        "KEPU_S3_ADDRESSING_STYLE": "path",
        "KEPU_S3_MEDIA_BUCKET": f"media-{suffix}",
        "KEPU_S3_PRIVATE_BUCKET": f"private-{suffix}",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id=S3_KEYS["KEPU_S3_ACCESS_KEY_ID"],
        aws_secret_access_key=S3_KEYS["KEPU_S3_SECRET_ACCESS_KEY"],
    )
    buckets = Buckets(client, env["KEPU_S3_MEDIA_BUCKET"], env["KEPU_S3_PRIVATE_BUCKET"])
    for bucket in (buckets.media, buckets.private):
        client.create_bucket(Bucket=bucket)
    configured = object_storage()
    settings.STORAGES = {**settings.STORAGES, **configured.storages}
    settings.KEPU_S3_SIGNED_URL_SECONDS = configured.signed_url_seconds
    settings.KEPU_S3_SIGNED_MEDIA_SECONDS = configured.signed_media_seconds
    yield buckets
    for bucket in (buckets.media, buckets.private):
        for key in buckets.keys(bucket):
            client.delete_object(Bucket=bucket, Key=key)
        client.delete_bucket(Bucket=bucket)


@pytest.fixture(params=["local", "s3"])
def file_storage(request):
    """Runs a test twice: files on the local disk, then in S3 buckets (`s3`)."""
    if request.param == "s3":
        request.getfixturevalue("s3")
    return request.param

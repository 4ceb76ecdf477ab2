"""The fuzz declaration of every public endpoint, by URL name.

test_coverage.py fails when a URL pattern outside the staff-only admin has no declaration
here, so a new endpoint cannot slip through. `writes` lists the tables an accepted request may
change; `refused_writes` the security counters that change even on a refusal.
"""

import json
import uuid

from hypothesis import strategies as st

from . import states
from . import strategies as hs
from .harness import Endpoint

LOGIN = frozenset({"accounts_user"})  # last_login
ACCOUNT = frozenset(
    {
        "accounts_user",
        "accounts_profile",
        "account_emailaddress",
        "account_emailconfirmation",
        "accounts_guardianconsentrequest",
        "accounts_guardianconsent",
    }
)
QUIZ_PLAY = frozenset(
    {
        "quizzes_quizattempt",
        "quizzes_answerbatch",
        "quizzes_itemcounter",
        "quizzes_leaderboardentry",
        "quizzes_certificate",
        "outbox_outboxmessage",
    }
)
ENTRY = frozenset(
    {"submissions_entry", "submissions_entryfile", "content_video", "outbox_outboxmessage"}
)
# A certificate's chosen name (competitions/core/certificates/names.py); a real name typed
# while choosing is kept in the holder's profile.
CERTIFICATE_NAME = frozenset(
    {
        "quizzes_certificate",
        "submissions_awardcertificate",
        "bookdrift_driftcertificate",
        "accounts_profile",
    }
)
# A step of a copy's journey (competitions/bookdrift/journeys.py).
DRIFT_STEP = frozenset({"bookdrift_journeystep", "bookdrift_bookcopy", "outbox_outboxmessage"})
# Deleting an account removes whatever belongs to it.
EVERYTHING_OF_AN_ACCOUNT = ACCOUNT | QUIZ_PLAY | ENTRY | {"socialaccount_socialaccount"}

uuids = st.uuids().map(str)


def _options(state):
    return st.one_of(st.sampled_from(state.values["options"]), hs.text(), uuids)


def _quiz_fields(state):
    position = st.integers(0, state.values["max_position"] + 1).map(str) | hs.numbers
    actions = ["next", "prev", "submit", "goto-1", "goto-3", "goto-²", "goto-９", "goto-"]
    return {
        "option": _options(state),
        "save_token": uuids | hs.text(),
        "submit_token": uuids | hs.text(),
        "position": position,
        "action": st.sampled_from(actions) | hs.text(),
    }


def _batch_answer(state):
    position = st.integers(-1, state.values["max_position"] + 1)
    return st.fixed_dictionaries(
        {
            "q": position | st.floats() | hs.json_values,
            "s": st.integers(-1, 2**31) | hs.json_values,
            "o": st.lists(_options(state), max_size=3) | hs.json_values,
        }
    )


def _quiz_json(state):
    """An answer batch as quiz.js sends it (competitions/quizzes/answer_batches.py)."""
    return st.one_of(
        st.fixed_dictionaries(
            {
                "token": uuids | hs.json_values,
                "answers": st.lists(_batch_answer(state), max_size=3) | hs.json_values,
            },
            optional={"leaves": st.integers(-1, 10**6) | hs.json_values},
        ),
        hs.json_values,
    )


def _quiz_json_baseline(state):
    answer = {"q": 1, "s": 1, "o": state.values["options"][:1]}
    return {"token": str(uuid.uuid4()), "answers": [answer]}


def _quiz_submit_fields(state):
    batch = _quiz_json(state).map(lambda value: json.dumps(value, ensure_ascii=False))
    return {
        **_quiz_fields(state),
        "batch": batch | hs.text(),
        "q1": _options(state),
        "auto": st.sampled_from(["", "1", "deadline"]) | hs.text(),
    }


def _byte_ranges(state):
    ranges = ["bytes=0-9", "bytes=-5", "bytes=5-", "bytes=9-0", "bytes=0-99999999999999999999"]
    ranges += ["bytes=a-b", "bytes=0-1,3-4", "bytes=-", "items=0-1", "bytes=１-２"]
    return {"HTTP_RANGE": st.sampled_from(ranges) | hs.text()}


def _vote_fields(state):
    token = st.sampled_from([state.values.get("captcha_token", "")]) | hs.text()
    answers = st.sampled_from(["12", "１２", "十二", "12。", " 12 ", "12\x00"]) | hs.text()
    return {"captcha_token": token, "captcha": answers}


def _display_consent_fields(state):
    return {
        "action": st.sampled_from(["request", "withdraw", "other"]) | hs.text(),
        "next": hs.text(),
    }


def _certificate_name_fields(state):
    choices = st.sampled_from(["masked", "nickname", "real_name", "other"]) | hs.text()
    return {"choice": choices, "real_name": st.sampled_from(["张小明", ""]) | hs.text()}


def _comment_fields(state):
    text = st.sampled_from(["拍得真好", "笨蛋", " "]) | hs.text()
    return {"text": text, "token": uuids | hs.text()}


def _score_fields(state):
    return {"submit": st.sampled_from(["", "1"]) | hs.text()}


ENDPOINTS = [
    # --- site ------------------------------------------------------------------------------
    Endpoint("healthz", states.nothing),
    Endpoint(
        "text_size",
        states.nothing,
        methods=("POST",),
        form=lambda s: {"large": st.sampled_from(["1", "0"]) | hs.text(), "next": hs.text()},
    ),
    Endpoint("feed", states.pages),
    Endpoint("sitemap", states.pages),
    Endpoint("robots_txt", states.nothing),
    Endpoint("wagtail_serve", states.pages, query=("page", "from", "p"), path="state"),
    Endpoint(
        "wagtailcore_authenticate_with_password",
        states.restricted_page,
        methods=("GET", "POST"),
        form="page",
        values={"password": ["kexue"]},
    ),
    Endpoint("wagtailcore_login", states.new_person, methods=("GET", "POST"), form="page"),
    Endpoint("wagtaildocs_serve", states.document, path="state"),
    Endpoint(
        "wagtaildocs_authenticate_with_password",
        states.restricted_documents,
        methods=("GET", "POST"),
        form=lambda s: {"password": hs.text(), "return_url": hs.text()},
        values={"password": ["kexue"]},
    ),
    Endpoint("reach:short_link", states.poster, writes=frozenset({"content_posterscan"})),
    Endpoint("reach:page_qr_svg", states.page_id),
    Endpoint(
        "reach:view_beacon",
        states.page_id,
        methods=("POST",),
        writes=frozenset({"content_pageviewcount"}),
    ),
    Endpoint(
        "search",
        states.pages,
        query=("q", "kind", "topic", "from", "to", "range", "sort", "page"),
        writes=frozenset({"search_querylog"}),
    ),
    Endpoint("search_suggest", states.nothing, query=("q",)),
    Endpoint(
        "search_click",
        states.logged_search,
        methods=("POST",),
        form=lambda s: {
            "q": st.sampled_from(["洗手"]) | hs.text(),
            "position": st.sampled_from(["1", "10", "²", "-1"]) | hs.text(),
            "backend": st.sampled_from(["embedded", "postgres"]) | hs.text(),
        },
        writes=frozenset({"search_querylog"}),
    ),
    # --- staff sign-in pages (public by nature) ----------------------------------------------
    Endpoint(
        "wagtailadmin_login", states.new_person, methods=("GET", "POST"), form="page", writes=LOGIN
    ),
    # The Django admin's sign-in is the guarded one above (a redirect, see
    # accounts/views/admin_login.py).
    Endpoint("admin:login", states.new_person, methods=("GET", "POST"), query=("next",)),
    Endpoint("admin:logout", states.signed_in, methods=("GET", "POST")),
    Endpoint("django_admin_login", states.new_person, query=("next",)),
    Endpoint("django_admin_password_change", states.nothing),
    # The Django admin's own name for that address, shadowed by the redirect above.
    Endpoint("admin:password_change", states.nothing),
    Endpoint(
        # Staff reset passwords through the site's own reset pages: this one is switched off.
        "wagtailadmin_password_reset",
        states.new_person,
        methods=("GET", "POST"),
    ),
    Endpoint("wagtailadmin_password_reset_done", states.nothing),
    Endpoint(
        "wagtailadmin_password_reset_confirm",
        states.nothing,
        methods=("GET", "POST"),
        form=lambda s: {"new_password1": hs.text(), "new_password2": hs.text()},
        kwargs={"uidb64": "MQ", "token": "set-password"},
    ),
    Endpoint("wagtailadmin_password_reset_complete", states.nothing),
    Endpoint("wagtailadmin_sprite", states.nothing),
    Endpoint("wagtailadmin_javascript_catalog", states.nothing),
    # --- accounts: allauth -------------------------------------------------------------------
    Endpoint(
        "account_login",
        states.new_person,
        methods=("GET", "POST"),
        form="page",
        writes=LOGIN,
        signed_in="never",
    ),
    Endpoint("account_logout", states.signed_in, methods=("GET", "POST")),
    Endpoint("account_inactive", states.nothing),
    Endpoint(
        "account_signup",
        states.after_the_age_step,
        methods=("GET", "POST"),
        form="page",
        writes=ACCOUNT,
        signed_in="never",
    ),
    Endpoint(
        "account_reauthenticate",
        states.signed_in,
        methods=("GET", "POST"),
        form="page",
        writes=LOGIN,
    ),
    Endpoint(
        "account_email", states.signed_in, methods=("GET", "POST"), form="page", writes=ACCOUNT
    ),
    Endpoint("account_email_verification_sent", states.nothing),
    Endpoint(
        "account_change_password",
        states.signed_in,
        methods=("GET", "POST"),
        form="page",
        writes=LOGIN,
    ),
    Endpoint(
        "account_set_password",
        states.passwordless,
        methods=("GET", "POST"),
        form="page",
        writes=LOGIN,
    ),
    Endpoint("account_reset_password", states.new_person, methods=("GET", "POST"), form="page"),
    Endpoint("accounts:phone_reset", states.new_person, methods=("GET", "POST"), form="page"),
    Endpoint(
        "accounts:phone_reset_confirm",
        states.phone_reset_started,
        methods=("GET", "POST"),
        form="page",
        writes=frozenset({"accounts_user"}),
    ),
    Endpoint(
        "account_confirm_login_code",
        states.new_person,
        methods=("GET", "POST"),
        form=lambda s: {"code": hs.text()},
        writes=LOGIN,
    ),
    Endpoint(
        "account_confirm_email", states.email_confirmation, methods=("GET", "POST"), writes=ACCOUNT
    ),
    Endpoint(
        "account_verify_phone",
        states.signed_in,
        methods=("GET", "POST"),
        form=lambda s: {"code": hs.text()},
        writes=ACCOUNT,
    ),
    Endpoint(
        "account_change_phone",
        states.signed_in,
        methods=("GET", "POST"),
        form="page",
        writes=ACCOUNT,
    ),
    Endpoint("account_reset_password_from_key_done", states.nothing),
    Endpoint(
        "account_reset_password_from_key",
        states.password_reset_key,
        methods=("GET", "POST"),
        form="page",
        writes=LOGIN,
    ),
    Endpoint("account_reset_password_done", states.nothing),
    Endpoint("account_request_login_code", states.new_person, methods=("GET", "POST"), form="page"),
    Endpoint("socialaccount_login_cancelled", states.nothing),
    Endpoint("socialaccount_login_error", states.nothing),
    Endpoint(
        "socialaccount_signup",
        states.nothing,
        methods=("GET", "POST"),
        form=lambda s: {"email": hs.text(), "username": hs.text()},
        writes=ACCOUNT,
    ),
    Endpoint(
        "socialaccount_connections",
        states.signed_in,
        methods=("GET", "POST"),
        form=lambda s: {"account": hs.numbers},
        writes=frozenset({"socialaccount_socialaccount"}),
    ),
    Endpoint(
        "<unnamed accounts/social/login/cancelled/>",
        states.nothing,
        path="/accounts/social/login/cancelled/",
    ),
    Endpoint(
        "<unnamed accounts/social/login/error/>",
        states.nothing,
        path="/accounts/social/login/error/",
    ),
    Endpoint("<unnamed accounts/social/signup/>", states.nothing, path="/accounts/social/signup/"),
    Endpoint(
        "<unnamed accounts/social/connections/>",
        states.nothing,
        path="/accounts/social/connections/",
    ),
    Endpoint("weixin_login", states.nothing, query=("process", "next", "scope")),
    Endpoint("weixin_callback", states.nothing, query=("code", "state", "error")),
    # --- accounts: the person's own pages ----------------------------------------------------
    Endpoint(
        "accounts:profile", states.signed_in, methods=("GET", "POST"), form="page", writes=ACCOUNT
    ),
    Endpoint("accounts:export", states.signed_in, methods=("POST",), examples=0.5),
    Endpoint(
        "accounts:delete",
        states.signed_in,
        methods=("GET", "POST"),
        form="page",
        values={"password": ["correct horse battery"]},
        writes=EVERYTHING_OF_AN_ACCOUNT,
    ),
    Endpoint(
        "accounts:consent",
        states.child_waiting,
        methods=("GET", "POST"),
        form="page",
        writes=ACCOUNT,
        signed_in="always",
    ),
    Endpoint(
        "accounts:display_consent",
        states.child_waiting,
        methods=("GET", "POST"),
        form=_display_consent_fields,
        writes=ACCOUNT,
    ),
    Endpoint(
        "accounts:age",
        states.signed_in,
        methods=("GET", "POST"),
        form="page",
        query=("next",),
        writes=ACCOUNT,
    ),
    Endpoint(
        "accounts:guardian",
        states.guardian_link,
        methods=("GET", "POST"),
        form="page",
        writes=ACCOUNT,
        refused_writes=frozenset({"accounts_guardianconsentrequest"}),
    ),
    # --- quizzes -------------------------------------------------------------------------------
    Endpoint("quizzes:start", states.quiz, methods=("GET", "POST"), form="page", writes=QUIZ_PLAY),
    Endpoint("quizzes:leaderboard", states.quiz),
    Endpoint(
        "quizzes:attempt",
        states.open_attempt,
        methods=("GET", "POST"),
        form=_quiz_fields,
        query=("q",),
        writes=QUIZ_PLAY,
        signed_in="always",
    ),
    Endpoint(
        "quizzes:save",
        states.open_attempt,
        methods=("POST",),
        json=_quiz_json,
        json_baseline=_quiz_json_baseline,
        writes=QUIZ_PLAY,
        signed_in="always",
    ),
    Endpoint(
        "quizzes:submit",
        states.open_attempt,
        methods=("POST",),
        form=_quiz_submit_fields,
        writes=QUIZ_PLAY,
        signed_in="always",
    ),
    Endpoint("quizzes:result", states.finished_attempt, writes=QUIZ_PLAY),
    Endpoint("quizzes:prize_draw", states.prize_winner),
    Endpoint("quizzes:prize_eligible_list", states.prize_winner),
    Endpoint(
        "quizzes:prize_claim",
        states.prize_winner,
        methods=("GET", "POST"),
        form="page",
        writes=frozenset({"quizzes_prizeclaim"}),
    ),
    Endpoint("quizzes:certificate_verify", states.quiz_certificate),
    Endpoint("quizzes:certificate_png", states.quiz_certificate, examples=0.3),
    Endpoint("quizzes:certificate_pdf", states.quiz_certificate, examples=0.3),
    Endpoint("quizzes:share_card", states.finished_attempt, examples=0.3),
    Endpoint(
        "quizzes:certificate_name",
        states.quiz_certificate,
        methods=("POST",),
        form=_certificate_name_fields,
        writes=CERTIFICATE_NAME,
        signed_in="always",
    ),
    # --- contests ------------------------------------------------------------------------------
    Endpoint(
        "contests:enter", states.contest_open, methods=("GET", "POST"), form="page", writes=ENTRY
    ),
    Endpoint("contests:my_entries", states.signed_in),
    Endpoint("contests:entry_files", states.submitted_entry),
    Endpoint(
        "contests:entry_edit",
        states.draft_entry,
        methods=("GET", "POST"),
        form="page",
        writes=ENTRY,
        signed_in="always",
    ),
    Endpoint(
        "contests:entry_upload",
        states.draft_entry,
        methods=("POST",),
        files=("file",),
        writes=ENTRY,
        signed_in="always",
    ),
    Endpoint(
        "contests:entry_file_remove",
        states.draft_entry,
        methods=("POST",),
        writes=ENTRY,
        signed_in="always",
    ),
    Endpoint(
        "contests:entry_file_replace",
        states.draft_entry,
        methods=("POST",),
        files=("file",),
        writes=ENTRY,
        signed_in="always",
    ),
    Endpoint(
        "contests:entry_submit",
        states.draft_entry,
        methods=("POST",),
        writes=ENTRY,
        signed_in="always",
    ),
    Endpoint(
        "contests:entry_withdraw",
        states.draft_entry,
        methods=("POST",),
        writes=ENTRY,
        signed_in="always",
    ),
    Endpoint("contests:entry_receipt", states.submitted_entry),
    Endpoint(
        "contests:entry_file", states.entry_file, methods=("GET", "HEAD"), headers=_byte_ranges
    ),
    Endpoint(
        "contests:entry_file_video",
        states.entry_file,
        methods=("GET", "HEAD"),
        headers=_byte_ranges,
    ),
    Endpoint(
        "contests:entry_file_poster",
        states.entry_file,
        methods=("GET", "HEAD"),
        headers=_byte_ranges,
    ),
    Endpoint("contests:results", states.results, query=("group",)),
    Endpoint("contests:exhibition", states.results, query=("group", "award", "page")),
    Endpoint("contests:exhibition_work", states.results),
    Endpoint("contests:award_certificate_verify", states.results),
    Endpoint("contests:award_certificate_png", states.results, examples=0.3),
    Endpoint("contests:award_certificate_pdf", states.results, examples=0.3),
    Endpoint(
        "contests:award_certificate_name",
        states.results,
        methods=("POST",),
        form=_certificate_name_fields,
        writes=CERTIFICATE_NAME,
        signed_in="always",
    ),
    # --- judging ---------------------------------------------------------------------------------
    Endpoint("judging:queue", states.judge),
    Endpoint(
        "judging:entry",
        states.judge,
        methods=("GET", "POST"),
        form="page",
        more_fields=_score_fields,
        writes=frozenset({"judging_score", "judging_criterionscore"}),
        signed_in="always",
    ),
    # --- voting ----------------------------------------------------------------------------------
    Endpoint("voting:ranking", states.voting, query=("group", "page")),
    Endpoint("voting:entry", states.voting),
    Endpoint(
        "voting:vote",
        states.voting,
        methods=("POST",),
        form=_vote_fields,
        writes=frozenset({"voting_vote"}),
    ),
    Endpoint(
        "voting:vote",
        states.new_voter,
        methods=("POST",),
        form=_vote_fields,
        writes=frozenset({"voting_vote"}),
        variant="captcha",
        signed_in="always",
    ),
    Endpoint("voting:share_card", states.voting, examples=0.3),
    Endpoint("popularity:ranking", states.voting, query=("group", "page")),
    Endpoint(
        "popularity:share",
        states.voting,
        query=("via",),
        writes=frozenset({"popularity_shareopen"}),
    ),
    Endpoint(
        "popularity:comment",
        states.voting,
        methods=("POST",),
        form=_comment_fields,
        writes=frozenset({"popularity_entrycomment"}),
    ),
    # --- book drift ------------------------------------------------------------------------------
    Endpoint("bookdrift:campaigns", states.nothing),
    Endpoint("bookdrift:campaign", states.drift_campaign),
    Endpoint("bookdrift:find", states.drift_campaign, query=("code",)),
    Endpoint("bookdrift:awards", states.drift_campaign),
    Endpoint(
        "bookdrift:donate",
        states.drift_campaign,
        methods=("GET", "POST"),
        form="page",
        writes=frozenset({"bookdrift_book", "bookdrift_bookcopy", "outbox_outboxmessage"}),
    ),
    Endpoint(
        "bookdrift:my_books",
        states.drift_campaign,
        writes=frozenset({"bookdrift_readernotice"}),
    ),
    Endpoint("bookdrift:copy", states.drift_copy_held),
    Endpoint("bookdrift:journey", states.drift_copy_held, query=("page",)),
    Endpoint(
        "bookdrift:catch",
        states.drift_copy_to_catch,
        methods=("GET", "POST"),
        form="page",
        writes=DRIFT_STEP,
    ),
    Endpoint(
        "bookdrift:release",
        states.drift_copy_held,
        methods=("GET", "POST"),
        form="page",
        writes=DRIFT_STEP,
    ),
    Endpoint(
        "bookdrift:write_review",
        states.drift_review_to_write,
        methods=("GET", "POST"),
        form="page",
        writes=ENTRY | {"bookdrift_bookreview"},
    ),
    Endpoint("bookdrift:book", states.drift_book),
    Endpoint("bookdrift:station", states.drift_station),
    Endpoint("bookdrift:review", states.drift_review),
    Endpoint("bookdrift:certificate_verify", states.drift_certificate),
    Endpoint("bookdrift:certificate_file", states.drift_certificate, examples=0.3),
    Endpoint(
        "bookdrift:certificate_name",
        states.drift_certificate,
        methods=("POST",),
        form=_certificate_name_fields,
        writes=CERTIFICATE_NAME,
        signed_in="always",
    ),
    # --- sharing and media -----------------------------------------------------------------------
    Endpoint("sharing:page_card", states.page_id, examples=0.3),
    Endpoint("sharing:wechat_config", states.pages, query=("url",)),
    Endpoint(
        "media", states.public_media, methods=("GET", "HEAD"), headers=_byte_ranges, path="state"
    ),
]

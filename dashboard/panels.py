"""The panels of the organisers' dashboard, each shown only to those who may act on it, each
linking to the page where its matter is handled, each a few aggregate queries (a query
budget is asserted in tests/dashboard/).

- running quizzes with today's participation (Asia/Shanghai day);
- contests by phase with their submitted entries and the progress of their latest round;
- public votes with what fraud monitoring flags in the last 24 hours;
- videos whose processing failed;
- prize draws whose winners still have to say where to send the prize;
- poster scans of the last seven days.
"""

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component
from wagtail.permission_policies.pages import PagePermissionPolicy

from competitions.judging.models import Assignment, Score
from competitions.quizzes.models import PrizeDraw, Quiz, QuizAttempt
from competitions.submissions.models import Contest, Entry, Phase
from competitions.voting.monitoring import voting_attention
from content.reach.models import PosterScan
from content.video.models import Video
from kepu.days import local_day
from kepu.moments import describe_moment

SHOWN = 6
WEEK = datetime.timedelta(days=7)


class DashboardPanel(Component):
    template_name = "dashboard/panel.html"
    name = ""
    heading = ""
    order = 100
    permissions: tuple[str, ...] = ()

    @classmethod
    def is_shown(cls, user) -> bool:
        """Any of `permissions` shows the panel."""
        return any(user.has_perm(permission) for permission in cls.permissions)

    def rows(self) -> list[dict]:
        raise NotImplementedError

    def get_context_data(self, parent_context):
        return {
            "panel_id": f"dashboard-{self.name}",
            "heading": self.heading,
            "rows": self.rows(),
            "empty": self.empty,
            "more_url": self.more_url(),
            "more_label": self.more_label,
        }

    empty = ""
    more_label = ""
    # The URL name of the full listing the panel's "more" link opens ("" for none).
    more_url_name = ""

    def more_url(self) -> str:
        return reverse(self.more_url_name) if self.more_url_name else ""


class QuizzesPanel(DashboardPanel):
    name = "quizzes"
    heading = _("Quizzes running now")
    order = 110
    permissions = ("quizzes.change_quiz",)
    empty = _("No quiz is open right now.")
    more_label = _("All quizzes")
    more_url_name = "wagtailsnippets_quizzes_quiz:list"

    def rows(self):
        now = timezone.now()
        quizzes = list(
            Quiz.objects.filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at")[:SHOWN]
        )
        today = local_day(now)
        figures = {
            row["quiz_id"]: row
            for row in QuizAttempt.objects.filter(quiz__in=quizzes, day=today)
            .values("quiz_id")
            .annotate(attempts=Count("pk"), participants=Count("participant_key", distinct=True))
        }
        return [
            {
                "title": quiz.title,
                "url": reverse("quiz_statistics:quiz", args=[quiz.pk]),
                "figures": [
                    (_("attempts today"), figures.get(quiz.pk, {}).get("attempts", 0)),
                    (_("participants today"), figures.get(quiz.pk, {}).get("participants", 0)),
                ],
                "note": _("closes %(moment)s") % {"moment": describe_moment(quiz.closes_at)},
            }
            for quiz in quizzes
        ]


class ContestsPanel(DashboardPanel):
    name = "contests"
    heading = _("Submission contests")
    order = 120
    permissions = ("submissions.change_contest",)
    empty = _("No contest is under way.")
    more_label = _("All contests")
    more_url_name = "wagtailsnippets_submissions_contest:list"

    def rows(self):
        now = timezone.now()
        contests = list(
            Contest.objects.filter(submission_opens_at__lte=now + WEEK)
            .exclude(exhibition_at__lte=now)
            .exclude(exhibition_at__isnull=True, results_at__lte=now - 4 * WEEK)
            .annotate(submitted=Count("entries", filter=Q(entries__status=Entry.Status.SUBMITTED)))
            .order_by("results_at")[:SHOWN]
        )
        latest_rounds: dict[int, dict] = {}
        for row in (
            Assignment.objects.filter(round__contest__in=contests)
            .values("round__contest_id", "round_id", "round__number", "round__name")
            .annotate(
                total=Count("pk"), done=Count("pk", filter=Q(score__status=Score.Status.SUBMITTED))
            )
        ):
            contest_id = row["round__contest_id"]
            if row["round__number"] >= latest_rounds.get(contest_id, {}).get("round__number", 0):
                latest_rounds[contest_id] = row
        rows = []
        for contest in contests:
            judging = latest_rounds.get(contest.pk)
            figures = [
                (_("phase"), Phase(contest.phase(now)).label),
                (_("submitted entries"), contest.submitted),
            ]
            links = [
                (
                    _("See the entries"),
                    reverse("wagtailsnippets_submissions_entry:list") + f"?contest={contest.pk}",
                ),
                (
                    _("Results and exports"),
                    reverse("contest_results_admin:contest", args=[contest.pk]),
                ),
            ]
            if judging:
                figures.append(
                    (
                        _("scores in %(round)s") % {"round": judging["round__name"]},
                        f"{judging['done']} / {judging['total']}",
                    )
                )
                links.append(
                    (
                        _("Judging progress"),
                        reverse("judging_admin:round", args=[judging["round_id"]]),
                    )
                )
            rows.append({"title": contest.title, "figures": figures, "links": links})
        return rows


class VotesPanel(DashboardPanel):
    name = "votes"
    heading = _("Public votes needing attention")
    order = 130
    permissions = ("voting.change_vote",)
    empty = _("No public vote is open right now.")
    more_label = _("Vote monitoring")
    more_url_name = "vote_monitoring:index"

    def rows(self):
        rows = []
        for item in voting_attention():
            flags = []
            if item.new_accounts_flagged:
                flags.append(
                    _("%(percent)s%% of the votes come from accounts younger than a day")
                    % {"percent": item.new_account_percent}
                )
            flags += [
                _("%(votes)s votes from the network %(network)s")
                % {"votes": votes, "network": network}
                for network, votes in item.busy_networks
            ]
            rows.append(
                {
                    "title": item.contest.title,
                    "url": reverse("vote_monitoring:contest", args=[item.contest.pk]),
                    "figures": [(_("valid votes in 24 hours"), item.votes)],
                    "flags": flags,
                    "note": "" if flags else _("Nothing unusual in the last 24 hours."),
                }
            )
        return rows


class VideosPanel(DashboardPanel):
    name = "videos"
    heading = _("Videos that could not be processed")
    order = 140
    permissions = ("content.change_video",)
    empty = _("Every video was processed.")
    more_label = _("All videos")
    more_url_name = "wagtailsnippets_content_video:list"

    def rows(self):
        failed = Video.objects.filter(status=Video.Status.FAILED, private_outputs=False)
        return [
            {
                "title": video.title,
                "url": reverse("wagtailsnippets_content_video:edit", args=[video.pk]),
                "note": video.failure_reason[:120],
            }
            for video in failed.order_by("-updated_at")[:SHOWN]
        ]


class PrizeClaimsPanel(DashboardPanel):
    name = "prize-claims"
    heading = _("Prize claims")
    order = 150
    permissions = ("quizzes.view_prizeclaim", "quizzes.change_prizedraw")
    empty = _("No drawn prize is waiting to be sent.")
    more_label = _("All prize draws")
    more_url_name = "quiz_prizes_admin:index"

    def rows(self):
        draws = (
            PrizeDraw.objects.filter(state=PrizeDraw.State.DRAWN, claims_locked_at__isnull=True)
            .select_related("quiz")
            .annotate(winner_count=Count("winners"), claim_count=Count("winners__claim"))
            .order_by("-drawn_at")[:SHOWN]
        )
        return [
            {
                "title": draw.quiz.title,
                "url": reverse("quiz_prizes_admin:quiz", args=[draw.quiz_id]),
                "figures": [
                    (_("claims received"), draw.claim_count),
                    (_("winners yet to claim"), draw.winner_count - draw.claim_count),
                ],
            }
            for draw in draws
        ]


class PosterScansPanel(DashboardPanel):
    name = "poster-scans"
    heading = _("Poster scans this week")
    order = 160
    empty = _("No poster was scanned in the last seven days.")
    more_label = _("All posters")
    more_url_name = "reach_admin:poster_report"

    @classmethod
    def is_shown(cls, user) -> bool:
        return PagePermissionPolicy().user_has_any_permission(user, ["change"])

    def get_context_data(self, parent_context):
        self.user = parent_context["request"].user
        return super().get_context_data(parent_context)

    def rows(self):
        pages = PagePermissionPolicy().instances_user_has_permission_for(self.user, "change")
        scans = PosterScan.objects.filter(
            scanned_at__gte=timezone.now() - WEEK, poster__page__in=pages
        )
        return [
            {
                "title": row["poster__location"],
                "url": reverse("reach_admin:page_posters", args=[row["poster__page_id"]]),
                "figures": [(_("scans"), row["scans"])],
                "note": row["poster__page__title"],
            }
            for row in scans.values(
                "poster_id", "poster__location", "poster__page_id", "poster__page__title"
            )
            .annotate(scans=Count("pk"))
            .order_by("-scans", "poster_id")[:SHOWN]
        ]


PANELS = [QuizzesPanel, ContestsPanel, VotesPanel, VideosPanel, PrizeClaimsPanel, PosterScansPanel]

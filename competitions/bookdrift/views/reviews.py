"""Writing a reading review from a copy's page, and reading one shown on a book's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from competitions.submissions import entries

from .. import page_cache
from .. import reviews as review_service
from ..forms import ReviewForm
from ..models import BookCopy
from .lookup import copy_view


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@copy_view
def write_review(request, copy: BookCopy):
    """写读后感: the review enters the campaign's reading-review contest through the
    submissions service and is submitted at once; the contest's receipt follows."""
    contest = review_service.review_contest(copy)
    if contest is None:
        raise Http404(_("This drift does not collect reading reviews."))
    existing = review_service.existing_review(copy, request.user)
    context = {
        "copy": copy,
        "book": copy.book,
        "contest": contest,
        "open": contest.accepts_entries(),
        "existing": existing,
        "needs_guardian": entries.needs_guardian(request.user),
    }
    if existing is not None or not context["open"] or context["needs_guardian"]:
        return render(request, "bookdrift/review_form.html", context)
    initial = {"title": _("After reading “%(title)s”") % {"title": copy.book.title}}
    form = ReviewForm(request.POST or None, contest=contest, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            entry = review_service.write_review(copy, request.user, form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _("Your review of “%(title)s” is submitted to “%(contest)s”.")
                % {"title": copy.book.title, "contest": contest.title},
            )
            return redirect("contests:entry_receipt", public_id=entry.public_id)
    context["form"] = form
    status = 400 if request.method == "POST" else 200
    return render(request, "bookdrift/review_form.html", context, status=status)


@require_safe
def review_page(request, pk: int):
    """One review shown on its book's page (search results link here)."""
    review = get_object_or_404(review_service.public_reviews().select_related("book"), pk=pk)

    def render_page():
        return render(request, "bookdrift/review.html", {"review": review, "book": review.book})

    return page_cache.serve_cached(
        request, f"review:{review.pk}", [("book", review.book_id)], render_page
    )

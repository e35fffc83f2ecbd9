"""Reads of the comments app, one function per page fragment, fixed query budgets."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from html.parser import HTMLParser
from typing import Any

from django.db.models import (
    Count,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from comments.models import (
    Comment,
    CommentCounts,
    FeedbackPoint,
    ModerationDecision,
    ModerationMode,
    ModerationSettings,
    ModeratorNote,
    Notice,
    ReviewRequest,
    Subscription,
    normalise_email,
)
from comments.policy import effective_mode
from core.compiled import CompiledQuery


def _published_article_by_id(*, pk: int, at: datetime) -> QuerySet[Article]:
    return Article.objects.published(at=at).select_related("section").filter(pk=pk)[:1]


# Every comment request starts with this query (posting a comment above all, issue
# #14): built and compiled once per process (core.compiled).
_PUBLISHED_ARTICLE = CompiledQuery(
    _published_article_by_id,
    pk=-20010203,
    at=datetime(2001, 2, 3, 4, 5, 6, 789012, tzinfo=UTC),
)
# Ids outside the primary key's range match no row (and cannot be bound).
_BIGINT = (-(2**63), 2**63 - 1)


def published_article(*, article_id: int) -> Article | None:
    """The article readers see with this id, with its section; None when there is none.

    One query, compiled once per process.
    """
    if not _BIGINT[0] <= article_id <= _BIGINT[1]:
        return None
    rows = _PUBLISHED_ARTICLE(pk=article_id, at=timezone.now())
    return rows[0] if rows else None


SORTS = {"neueste": "newest", "aelteste": "oldest"}


def parse_sort(value: str | None) -> str:
    """The reader's sort choice from the query string: "neueste" (default) or "aelteste"."""
    return value if value in SORTS else "neueste"


@dataclass
class CommentSection:
    article: Article
    comment_count: int
    feedback_count: int
    thread_count: int
    threads: list[Comment]
    feedback_points: Sequence[FeedbackPoint]  # with .public_answers and .threads
    is_open: bool
    sort: str
    page: int
    pages: int
    max_depth: int
    has_more: bool = False
    extra: dict = field(default_factory=dict)


def _counts_queryset(*, article_id: int) -> QuerySet[Any]:
    """The article's row of ``CommentCounts`` (kept by PostgreSQL triggers; none when
    the article never had a comment)."""
    return CommentCounts.objects.filter(article_id=article_id).values(
        "comments", "feedback", "threads"
    )


_NO_COMMENTS = {"comments": 0, "feedback": 0, "threads": 0}


def _counts(article_id: int) -> dict[str, int]:
    rows = _COUNTS(article_id=article_id)
    return dict(rows[0]) if rows else dict(_NO_COMMENTS)


def _thread_page_queryset(
    *, article_id: int, order: str, start: int, per_page: int
) -> QuerySet[Comment]:
    """A page of threads (the page of first comments is a LIMITed subquery) with all
    their replies, oldest first: one query."""
    public = Comment.objects.public().filter(article_id=article_id)
    root_ids = (
        public.filter(root__isnull=True, feedback_point__isnull=True)
        .order_by("-is_pinned", order, "pk")
        .values("pk")[start : start + per_page]
    )
    # The thread of a comment as one column: the page of first comments is one subplan
    # (``pk IN roots OR root IN roots`` ran it twice; 37 ms against 7 for a 10,000
    # comment article on the bench data).
    return (
        public.alias(thread=Coalesce("root_id", "pk"))
        .filter(thread__in=root_ids)
        .order_by("created_at", "pk")
    )


# Compiled once per process (core.compiled): the counts, and the first page of threads
# per sort order and page size (the article page's; later pages go through the ORM).
_SAMPLE_ARTICLE_ID = 2_000_000_101
_COUNTS = CompiledQuery(_counts_queryset, article_id=_SAMPLE_ARTICLE_ID)
_FIRST_PAGES: dict[tuple[str, int], CompiledQuery[Comment]] = {}


def _points_queryset(*, article_id: int) -> QuerySet[FeedbackPoint]:
    return FeedbackPoint.objects.filter(article_id=article_id, is_active=True).order_by(
        "paragraph_index"
    )


_POINTS = CompiledQuery(_points_queryset, article_id=_SAMPLE_ARTICLE_ID)


def comment_counts(*, article: Article) -> dict[str, int]:
    """The article's visible comments (``"comments"``), inline feedbacks (``"feedback"``)
    and threads (``"threads"``): the numbers in the comment section's headings.

    One row read (compiled once per process; the counts are kept at write time,
    ``CommentCounts``), whatever the number of comments. No writes.
    """
    return _counts(article.pk)


def _first_page(*, order: str, per_page: int) -> CompiledQuery[Comment]:
    compiled = _FIRST_PAGES.get((order, per_page))
    if compiled is None:
        compiled = CompiledQuery(
            partial(_thread_page_queryset, order=order, start=0, per_page=per_page),
            article_id=_SAMPLE_ARTICLE_ID,
        )
        _FIRST_PAGES[(order, per_page)] = compiled
    return compiled


def comment_section(
    *,
    article: Article,
    sort: str = "neueste",
    page: int = 1,
    per_page: int | None = None,
    initial: bool = False,
) -> CommentSection:
    """The comment section of an article: counts, a page of threads with their
    replies (as ``comment.children``), and the feedback points with their answers.

    Fixed budget of at most five queries however many comments there are
    (settings come from the cache). Visible only:
    ``Comment.objects.public()``. The first page's three queries (counts, threads,
    feedback points) are compiled once per process (``core.compiled``); the points'
    answers are asked only when the article has points.
    """
    conf = ModerationSettings.get()  # cached; 1 query when cold
    per_page = per_page or (conf.initial_threads if initial else conf.threads_per_page)
    counts = _counts(article.pk)  # 1 (2 with cold settings)
    pages = max(1, math.ceil(counts["threads"] / per_page))
    page = min(max(1, page), pages)
    order = "created_at" if sort == "aelteste" else "-created_at"
    if page == 1:  # 3
        rows = _first_page(order=order, per_page=per_page)(article_id=article.pk)
    else:
        start = (page - 1) * per_page
        rows = list(
            _thread_page_queryset(
                article_id=article.pk, order=order, start=start, per_page=per_page
            )
        )
    newest_first = sort != "aelteste"
    roots = sorted(
        (c for c in rows if c.root_id is None),
        key=lambda c: (
            not c.is_pinned,
            -c.created_at.timestamp() if newest_first else c.created_at.timestamp(),
            c.pk,
        ),
    )
    replies = [c for c in rows if c.root_id is not None]
    threads = _build_tree(roots, replies)
    points = _POINTS(article_id=article.pk)  # 4 (+ 5 for the answers when there are points)
    if points:
        prefetch_related_objects(
            points,
            Prefetch(
                "answers",
                queryset=Comment.objects.public().order_by("created_at", "pk"),
                to_attr="public_answers",
            ),
        )
    for point in points:
        answers: list[Comment] = point.public_answers  # type: ignore[attr-defined]  # Prefetch
        point.threads = _build_tree(  # type: ignore[attr-defined]  # for the template
            [a for a in answers if a.parent_id is None],
            [a for a in answers if a.parent_id is not None],
        )
    return CommentSection(
        article=article,
        comment_count=counts["comments"],
        feedback_count=counts["feedback"],
        thread_count=counts["threads"],
        threads=threads,
        feedback_points=points,
        is_open=effective_mode(article=article, conf=conf) != ModerationMode.CLOSED,
        sort=sort,
        page=page,
        pages=pages,
        max_depth=conf.max_depth,
        has_more=page < pages,
        extra={"initial": initial},
    )


def _build_tree(roots: list[Comment], replies: list[Comment]) -> list[Comment]:
    by_id: dict[int | None, Comment] = {c.pk: c for c in roots}
    for comment in [*roots, *replies]:
        comment.children = []  # type: ignore[attr-defined]  # the thread tree for the template
    for reply in replies:
        by_id[reply.pk] = reply
    for reply in replies:
        # A reply whose parent is hidden hangs under the thread's first comment.
        parent = by_id.get(reply.parent_id) or by_id.get(reply.root_id)
        if parent is not None:
            parent.children.append(reply)  # type: ignore[attr-defined]
    return roots


def address_data(*, email: str) -> dict:
    """Everything stored about an address, for the manage-my-data page and export."""
    email = normalise_email(email)
    comments = (
        Comment.objects.filter(email=email)
        .select_related("article", "feedback_point")
        .order_by("created_at")
    )
    subscriptions = (
        Subscription.objects.filter(email=email).select_related("article").order_by("created_at")
    )
    return {"email": email, "comments": list(comments), "subscriptions": list(subscriptions)}


def address_export(*, email: str) -> dict:
    """A JSON-serialisable export of an address's comments and subscriptions (DSGVO)."""
    data = address_data(email=email)
    return {
        "email": data["email"],
        "comments": [
            {
                "id": c.pk,
                "article": c.article.headline,
                "article_url": c.article.get_absolute_url(),
                "name": c.name,
                "text": c.text,
                "status": c.status,
                "created_at": c.created_at.isoformat(),
                "reply_to": c.parent_id,
                "feedback_question": c.feedback_point.question if c.feedback_point else None,
                "ip": c.ip,
                "user_agent": c.user_agent,
            }
            for c in data["comments"]
        ],
        "subscriptions": [
            {
                "article": s.article.headline,
                "kind": s.kind,
                "created_at": s.created_at.isoformat(),
                "confirmed_at": s.confirmed_at.isoformat() if s.confirmed_at else None,
                "unsubscribed_at": s.unsubscribed_at.isoformat() if s.unsubscribed_at else None,
            }
            for s in data["subscriptions"]
        ],
    }


class _ParagraphParser(HTMLParser):
    """Collects the text of each top-level block (p, h2–h4, blockquote, li) in order."""

    BLOCKS = {"p", "h2", "h3", "h4", "blockquote", "li"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._depth = 0
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCKS:
            if self._depth == 0:
                self._buffer = []
            self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCKS and self._depth:
            self._depth -= 1
            if self._depth == 0:
                text = " ".join("".join(self._buffer).split())
                if text:
                    self.paragraphs.append(text)

    def handle_data(self, data: str) -> None:
        if self._depth:
            self._buffer.append(data)


def article_paragraphs(body_html: str) -> list[str]:
    """The plain text of each paragraph of an article body, in order (index = position).

    Only ``<p>`` elements count, matching what the reader page's script marks.
    """
    parser = _ParagraphParser()
    parser.BLOCKS = {"p"}
    parser.feed(body_html or "")
    parser.close()
    return parser.paragraphs


# --- The moderation desk ------------------------------------------------------

# The desk's queues: key -> (label, condition). The Reported queue holds comments
# hidden by readers' reports, reopened by a review, or named in a DSA notice
# (which leaves them visible until a moderator decides).
QUEUES: dict[str, tuple[Any, Q]] = {
    "pending": (
        _("Wartet auf Freigabe"),
        Q(status=Comment.Status.PENDING, reported_at__isnull=True),
    ),
    "reported": (_("Gemeldet"), Q(reported_at__isnull=False)),
    "approved": (_("Freigegeben"), Q(status=Comment.Status.APPROVED)),
    "rejected": (_("Abgelehnt"), Q(status=Comment.Status.REJECTED)),
    "spam": (_("Spam"), Q(status=Comment.Status.SPAM)),
}
# Waiting queues are worked oldest first; the others show the newest first.
WAITING_QUEUES = ("pending", "reported")
DESK_PAGE_SIZE = 50


def desk_counts() -> dict[str, int]:
    """How many comments each queue holds, plus ``newest``: the id of the newest
    comment waiting (pending or reported), for the desk's "new comments" notice. One query."""
    counts = Comment.objects.aggregate(
        **{key: Count("pk", filter=condition) for key, (_label, condition) in QUEUES.items()},
        newest=Max("pk", filter=QUEUES["pending"][1] | QUEUES["reported"][1]),
    )
    counts["newest"] = counts["newest"] or 0
    return counts


def desk_queue(*, queue: str, limit: int = DESK_PAGE_SIZE) -> list[Comment]:
    """The first ``limit`` comments of ``queue`` with everything the desk row shows.

    Article, parent, feedback point (the passage), account and the author's history
    counts by address, readers' reports, notices, moderator notes with their authors
    and the open review: six queries whatever the number of rows.
    """
    condition = QUEUES[queue][1]
    order = ["created_at", "id"] if queue in WAITING_QUEUES else ["-created_at", "-id"]

    def history(status: str) -> Coalesce:
        return Coalesce(
            Subquery(
                Comment.objects.filter(email=OuterRef("email"), status=status)
                .exclude(email="")
                .order_by()
                .values("email")
                .annotate(n=Count("pk"))
                .values("n")[:1],
                output_field=IntegerField(),
            ),
            0,
        )

    return list(
        Comment.objects.filter(condition)
        .select_related("article", "parent", "feedback_point", "user")
        .annotate(
            approved_by_address=history(Comment.Status.APPROVED),
            rejected_by_address=history(Comment.Status.REJECTED),
            spam_by_address=history(Comment.Status.SPAM),
        )
        .prefetch_related(
            "reports",
            Prefetch("notices", queryset=Notice.objects.filter(decided_at__isnull=True)),
            Prefetch("notes", queryset=ModeratorNote.objects.select_related("author")),
            Prefetch(
                "reviews",
                queryset=ReviewRequest.objects.filter(decided_at__isnull=True).select_related(
                    "decision__actor"
                ),
                to_attr="open_reviews",
            ),
        )
        .order_by(*order)[:limit]
    )


def recently_moderated(*, user: Any, limit: int = 10) -> list[ModerationDecision]:
    """``user``'s latest decisions (not undone) with their comments: the desk's undo list."""
    return list(
        ModerationDecision.objects.filter(actor=user, undone_at__isnull=True, comment__isnull=False)
        .exclude(kind=ModerationDecision.Kind.HOLD)
        .select_related("comment")
        .order_by("-created_at", "-id")[:limit]
    )

"""The newsroom's roles as Django groups, with least privilege.

``ROLE_PERMISSIONS`` is the single source of truth for the four groups: the data
migration ``0002_editorial_roles`` and ``manage.py sync_roles`` apply it, and a
``post_migrate`` handler re-applies it so that apps whose models arrive later
(comments, ads) get their permissions into the groups without a manual step.
A permission given to one of these groups by hand in the admin is removed by
the next ``migrate`` or ``sync_roles`` (both say so); give it here instead.
Other apps add their permissions here (``"app_label.codename"``; ``"app.*"``
means every permission of that app's models).
"""

from __future__ import annotations

from dataclasses import dataclass, field

JOURNALIST = "Redakteur"
EDITOR = "Chef vom Dienst"
MODERATOR = "Moderation"
AD_MANAGER = "Anzeigen"

_READ_REFERENCE_DATA = [
    "articles.view_section",
    "articles.view_author",
    "articles.view_agency",
    "taggit.view_tag",
]
_ARTICLE_PARTS = [
    f"articles.{verb}_{model}"
    for model in ("articleauthor", "relatedarticle", "relatedlink")
    for verb in ("add", "change", "delete", "view")
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    # Journalists write, edit their own drafts (enforced in articles.services)
    # and submit them; they cannot publish, delete or touch other people's work.
    JOURNALIST: [
        "articles.add_article",
        "articles.change_article",
        "articles.view_article",
        "articles.submit_article",
        "articles.preview_article",
        "articles.view_correction",
        "articles.view_articlerevision",
        "articles.add_image",
        "articles.change_image",
        "articles.view_image",
        "taggit.add_tag",
        # Live tickers: journalists add entries that wait for an editor's approval
        # (ticker.services); they may correct or withdraw their own while they wait.
        "ticker.view_ticker",
        "ticker.add_tickerentry",
        "ticker.view_tickerentry",
        *_READ_REFERENCE_DATA,
        *_ARTICLE_PARTS,
    ],
    # Editors (Chef vom Dienst) run the desk: everything of the workflow and the
    # reference data, but no deletions of articles (archive instead).
    EDITOR: [
        "articles.add_article",
        "articles.change_article",
        "articles.view_article",
        "articles.submit_article",
        "articles.publish_article",
        "articles.unpublish_article",
        "articles.archive_article",
        "articles.reject_article",
        "articles.edit_any_article",
        "articles.preview_article",
        "articles.add_correction",
        "articles.change_correction",
        "articles.delete_correction",
        "articles.view_correction",
        "articles.view_articlerevision",
        "articles.view_articleurl",
        "articles.add_image",
        "articles.change_image",
        "articles.view_image",
        "articles.add_section",
        "articles.change_section",
        "articles.add_author",
        "articles.change_author",
        "articles.add_agency",
        "articles.change_agency",
        "taggit.add_tag",
        "taggit.change_tag",
        "ads.view_slot",  # editors see which ad slots exist on their pages
        # Static pages (Impressum, Datenschutz, ...) are the desk's texts too; no
        # delete, a page that readers and the footer link to is switched off instead.
        "pages.add_page",
        "pages.change_page",
        "pages.view_page",
        # Pinning (featuring) a comment is an editorial choice: editors may read
        # the comment desk and pin/unpin, but not moderate (approve, reject, ban).
        "comments.view_comment",
        "comments.pin_comment",
        # Inline-feedback questions are part of the article (the inline in the
        # article admin). No delete: that would delete readers' answers with it;
        # a question is switched off with "aktiv" instead.
        "comments.add_feedbackpoint",
        "comments.change_feedbackpoint",
        "comments.view_feedbackpoint",
        # Live tickers: start them, post entries that appear at once, approve, correct
        # and remove entries, set and clear the breaking-news banner.
        "ticker.add_ticker",
        "ticker.view_ticker",
        "ticker.publish_tickerentry",
        *(f"ticker.{verb}_tickerentry" for verb in ("add", "change", "delete", "view")),
        *(f"ticker.{verb}_breakingnews" for verb in ("add", "change", "view")),
        # Readers' error reports ("Fehler melden") are the editors' queue, not the
        # moderation's: an editor turns one into a published correction.
        "comments.view_errorreport",
        "comments.change_errorreport",
        *_READ_REFERENCE_DATA,
        *_ARTICLE_PARTS,
    ],
    # Comment moderators: the moderation desk (queues, reports, bans, trust),
    # nothing of the workflow; feedback points are editorial, subscriptions and
    # deliveries are read-only, settings may only be read.
    MODERATOR: [
        "comments.view_comment",
        # No change_comment: the comment page is read-only and every decision is a
        # desk action or button, checked against moderate_comment.
        "comments.moderate_comment",
        "comments.pin_comment",
        "comments.view_commentreport",
        # DSA records (notices, decisions, reviews): written by the services only.
        "comments.view_notice",
        "comments.view_moderationdecision",
        "comments.view_reviewrequest",
        "comments.view_subscription",
        "comments.view_notificationdelivery",
        "comments.view_moderationsettings",
        *(
            f"comments.{verb}_{model}"
            for model in ("bannedaddress", "bannedip", "trustedaddress")
            for verb in ("add", "change", "delete", "view")
        ),
    ],
    # Ad managers: the ads app only — manage slots, advertisers, campaigns and
    # creatives, read statistics and reports (statistics are never edited by hand).
    AD_MANAGER: [
        *(
            f"ads.{verb}_{model}"
            for model in ("slot", "advertiser", "campaign", "creative")
            for verb in ("add", "change", "delete", "view")
        ),
        "ads.view_dailystat",
        "ads.view_report",
    ],
}


@dataclass
class RoleChange:
    """What ``sync_roles`` did (or, in a dry run, would do) to one group."""

    group: str
    created: bool = False
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    total: int = 0

    @property
    def changed(self) -> bool:
        return self.created or bool(self.added or self.removed)


def _label(permission) -> str:
    return f"{permission.content_type.app_label}.{permission.codename}"


def sync_roles(
    *, apps=None, dry_run: bool = False, verbosity: int = 0, stdout=None
) -> list[RoleChange]:
    """Create the groups and set their permissions to exactly ``ROLE_PERMISSIONS``.

    Idempotent. Permissions of apps without models yet are skipped (they are
    added when those models are migrated). Permissions the groups hold beyond
    the table (given by hand) are removed. ``apps`` is the migration state
    registry inside a migration, the real registry otherwise. With ``dry_run``
    nothing is written. Returns one ``RoleChange`` per group; with
    ``verbosity`` >= 1 every added and removed permission is written to
    ``stdout`` (>= 2 also groups without changes). No other side effects.
    """
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    changes: list[RoleChange] = []
    for group_name, wanted in ROLE_PERMISSIONS.items():
        group = group_model.objects.filter(name=group_name).first()
        change = RoleChange(group=group_name, created=group is None)
        permissions = {}
        for entry in wanted:
            app_label, codename = entry.split(".", 1)
            query = permission_model.objects.filter(
                content_type__app_label=app_label
            ).select_related("content_type")
            if codename != "*":
                query = query.filter(codename=codename)
            permissions.update({permission.pk: permission for permission in query})
        current = (
            {p.pk: p for p in group.permissions.select_related("content_type")} if group else {}
        )
        change.added = sorted(_label(p) for pk, p in permissions.items() if pk not in current)
        change.removed = sorted(_label(p) for pk, p in current.items() if pk not in permissions)
        change.total = len(permissions)
        if not dry_run:
            if group is None:
                group = group_model.objects.create(name=group_name)
            group.permissions.set(list(permissions.values()))
        changes.append(change)
        if stdout is not None:
            _report(change, dry_run=dry_run, verbosity=verbosity, stdout=stdout)
    return changes


def _report(change: RoleChange, *, dry_run: bool, verbosity: int, stdout) -> None:
    if verbosity < 1 or (not change.changed and verbosity < 2):
        return
    headline = f"{change.group}: {change.total} Rechte"
    if change.created:
        headline += " (Gruppe würde angelegt)" if dry_run else " (Gruppe angelegt)"
    elif not change.changed:
        headline += ", unverändert"
    stdout.write(headline)
    added = "würde hinzugefügt" if dry_run else "hinzugefügt"
    removed = "würde entfernt" if dry_run else "entfernt"
    for label in change.added:
        stdout.write(f"  + {label} {added}")
    for label in change.removed:
        stdout.write(f"  - {label} {removed} (nicht in newsroom/roles.py)")


def remove_roles(*, apps) -> None:
    """Reverse of the migration: delete the four groups."""
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()

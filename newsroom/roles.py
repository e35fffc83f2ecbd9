"""The newsroom's roles as Django groups, with least privilege.

``ROLE_PERMISSIONS`` is the single source: the data migration
``0002_editorial_roles`` and ``manage.py sync_roles`` apply it, and a
``post_migrate`` handler re-applies it so that apps whose models arrive later
(comments, ads) get their permissions into the groups without a manual step.
Other apps add their permissions here (``"app_label.codename"``; ``"app.*"``
means every permission of that app's models).
"""

from __future__ import annotations

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
        *_READ_REFERENCE_DATA,
        *_ARTICLE_PARTS,
    ],
    # Comment moderators: the moderation desk (queues, reports, bans, trust),
    # nothing of the workflow; feedback points are editorial, subscriptions and
    # deliveries are read-only, settings may only be read.
    MODERATOR: [
        "comments.view_comment",
        "comments.change_comment",
        "comments.moderate_comment",
        "comments.pin_comment",
        "comments.view_commentreport",
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


def sync_roles(*, apps=None, verbosity: int = 0, stdout=None) -> dict[str, int]:
    """Create the groups and set their permissions to exactly ``ROLE_PERMISSIONS``.

    Idempotent. Permissions of apps without models yet are skipped (they are
    added when those models are migrated). ``apps`` is the migration state
    registry inside a migration, the real registry otherwise. Returns the number
    of permissions per group.
    """
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    counts: dict[str, int] = {}
    for group_name, wanted in ROLE_PERMISSIONS.items():
        group, _created = group_model.objects.get_or_create(name=group_name)
        permissions = []
        for entry in wanted:
            app_label, codename = entry.split(".", 1)
            query = permission_model.objects.filter(content_type__app_label=app_label)
            if codename != "*":
                query = query.filter(codename=codename)
            permissions.extend(query)
        group.permissions.set(permissions)
        counts[group_name] = len(permissions)
        if verbosity and stdout:
            stdout.write(f"{group_name}: {len(permissions)}")
    return counts


def remove_roles(*, apps) -> None:
    """Reverse of the migration: delete the four groups."""
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()

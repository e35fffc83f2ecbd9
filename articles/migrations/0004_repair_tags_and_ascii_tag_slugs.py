"""Repair tags mangled by the old article form and give every tag an ASCII slug.

1. The article form rendered tags as "[<Tag: Landtag>, <Tag: Verwaltung>]" and
   every save stored the pieces as new tags ("[<Tag: Landtag>", nesting deeper
   with each save). Each mangled tag's articles (and ad campaigns targeting it)
   are moved to the tag with the real name, then the mangled tag is deleted.
2. Taggit slugged "Fußball" as "fußball", which the reader URLs refused (500 on
   every article with such a tag). Every tag gets the site's slug ("fussball");
   the previous slug is kept in OldTagSlug, so /thema/fußball/ answers 301.

Reverse: nothing to undo (the junk cannot and should not come back); the old
slugs stay reachable through OldTagSlug.
"""

from django.db import migrations

from articles.slugs import german_slugify
from articles.tags import recovered_tag_name


def _free_slug(name, taken):
    base = german_slugify(name, max_length=100) or "thema"
    candidate, counter = base, 2
    while candidate in taken:
        suffix = f"-{counter}"
        candidate = f"{base[: 100 - len(suffix)].strip('-')}{suffix}"
        counter += 1
    return candidate


def repair_and_reslug(apps, schema_editor):
    Tag = apps.get_model("taggit", "Tag")
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    OldTagSlug = apps.get_model("articles", "OldTagSlug")
    Campaign = apps.get_model("ads", "Campaign")
    Targeting = Campaign.target_tags.through

    # 1. Mangled names -> the real tag (created when missing).
    by_name = {tag.name: tag for tag in Tag.objects.all()}
    taken = set(Tag.objects.values_list("slug", flat=True))
    junk = [tag for tag in by_name.values() if recovered_tag_name(tag.name) is not None]
    for bad in junk:
        real_name = recovered_tag_name(bad.name)
        real = None
        if real_name:
            real = by_name.get(real_name)
            if real is None:
                slug = _free_slug(real_name, taken)
                taken.add(slug)
                real = Tag.objects.create(name=real_name, slug=slug)
                by_name[real_name] = real
        if real is not None:
            for item in TaggedItem.objects.filter(tag=bad):
                TaggedItem.objects.get_or_create(
                    tag=real, content_type_id=item.content_type_id, object_id=item.object_id
                )
            for row in Targeting.objects.filter(tag=bad):
                Targeting.objects.get_or_create(tag=real, campaign_id=row.campaign_id)
        bad.delete()  # its TaggedItem and targeting rows go with it
        taken.discard(bad.slug)

    # 2. ASCII slugs from the one slug function; the old ones redirect.
    tags = list(Tag.objects.order_by("pk"))
    keep = {tag.slug for tag in tags if tag.slug == german_slugify(tag.name, max_length=100)}
    taken = set(keep)
    changes = []
    for tag in tags:
        if tag.slug in keep:
            continue
        new_slug = _free_slug(tag.name, taken)
        taken.add(new_slug)
        changes.append((tag, tag.slug, new_slug))
    # Two passes: a new slug may be another tag's old one.
    for tag, _old, _new in changes:
        Tag.objects.filter(pk=tag.pk).update(slug=f"tmp-{tag.pk}-reslug")
    for tag, old, new in changes:
        Tag.objects.filter(pk=tag.pk).update(slug=new)
        OldTagSlug.objects.update_or_create(old_slug=old, defaults={"tag_id": tag.pk})
    OldTagSlug.objects.filter(old_slug__in=taken).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_old_tag_slugs"),
        ("ads", "0001_slots_advertisers_campaigns_creatives_daily_stats"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(repair_and_reslug, migrations.RunPython.noop)]

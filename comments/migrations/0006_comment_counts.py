# Comment counts kept by PostgreSQL (issue #14): the comment headings read one row
# instead of counting an article's comments on every page render and every post (O(n):
# 4 ms at 1,700 comments, the comment post's largest cost). The visibility rule is
# Comment.objects.public()'s, in SQL; tests/comments/test_comment_counts.py holds the
# two equal through every kind of write.

import django.db.models.deletion
from django.db import migrations, models

FORWARD = """
-- Count one article again (any change but a plain new comment).
CREATE FUNCTION comments_recount(aid bigint) RETURNS void LANGUAGE sql AS $$
    INSERT INTO comments_commentcounts AS cc (article_id, comments, feedback, threads)
    SELECT aid,
           count(*) FILTER (WHERE c.feedback_point_id IS NULL),
           count(*) FILTER (WHERE c.feedback_point_id IS NOT NULL),
           count(*) FILTER (WHERE c.feedback_point_id IS NULL AND c.root_id IS NULL)
    FROM comments_comment c
    LEFT JOIN comments_comment r ON r.id = c.root_id
    LEFT JOIN comments_feedbackpoint f ON f.id = c.feedback_point_id
    WHERE c.article_id = aid
      AND c.status = 'approved'
      AND (c.root_id IS NULL OR r.status = 'approved')
      AND (c.feedback_point_id IS NULL OR f.is_active)
    ON CONFLICT (article_id) DO UPDATE
        SET comments = EXCLUDED.comments, feedback = EXCLUDED.feedback,
            threads = EXCLUDED.threads
$$;

-- A new comment: add it when it is visible (the post's path: a row, no count).
CREATE FUNCTION comments_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status <> 'approved'
       OR (NEW.root_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM comments_comment WHERE id = NEW.root_id AND status = 'approved'))
       OR (NEW.feedback_point_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM comments_feedbackpoint WHERE id = NEW.feedback_point_id AND is_active))
    THEN
        RETURN NULL;
    END IF;
    INSERT INTO comments_commentcounts AS cc (article_id, comments, feedback, threads)
    VALUES (NEW.article_id,
            (NEW.feedback_point_id IS NULL)::int,
            (NEW.feedback_point_id IS NOT NULL)::int,
            (NEW.feedback_point_id IS NULL AND NEW.root_id IS NULL)::int)
    ON CONFLICT (article_id) DO UPDATE
        SET comments = cc.comments + EXCLUDED.comments,
            feedback = cc.feedback + EXCLUDED.feedback,
            threads = cc.threads + EXCLUDED.threads;
    RETURN NULL;
END $$;
CREATE TRIGGER comments_count_insert AFTER INSERT ON comments_comment
    FOR EACH ROW EXECUTE FUNCTION comments_count_insert();

-- Changed status, thread, feedback point or article (moderation, reports, bulk
-- actions): count the articles concerned again, once per statement.
CREATE FUNCTION comments_count_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    aid bigint;
BEGIN
    FOR aid IN
        SELECT DISTINCT unnest(ARRAY[o.article_id, n.article_id])
        FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE (o.status, o.root_id, o.feedback_point_id, o.article_id)
              IS DISTINCT FROM (n.status, n.root_id, n.feedback_point_id, n.article_id)
    LOOP
        PERFORM comments_recount(aid);
    END LOOP;
    RETURN NULL;
END $$;
CREATE TRIGGER comments_count_update AFTER UPDATE ON comments_comment
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION comments_count_update();

-- Deleted comments or feedback points (both tables' rows name their article).
CREATE FUNCTION comments_count_delete() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    aid bigint;
BEGIN
    FOR aid IN SELECT DISTINCT article_id FROM old_rows LOOP
        PERFORM comments_recount(aid);
    END LOOP;
    RETURN NULL;
END $$;
CREATE TRIGGER comments_count_delete AFTER DELETE ON comments_comment
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION comments_count_delete();

-- A feedback point switched on or off (or deleted, above): its answers appear or go.
CREATE FUNCTION comments_count_point_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    aid bigint;
BEGIN
    FOR aid IN
        SELECT DISTINCT unnest(ARRAY[o.article_id, n.article_id])
        FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE (o.is_active, o.article_id) IS DISTINCT FROM (n.is_active, n.article_id)
    LOOP
        PERFORM comments_recount(aid);
    END LOOP;
    RETURN NULL;
END $$;
CREATE TRIGGER comments_count_point_update AFTER UPDATE ON comments_feedbackpoint
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION comments_count_point_update();

CREATE TRIGGER comments_count_point_delete AFTER DELETE ON comments_feedbackpoint
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION comments_count_delete();

-- The article's row goes with the article.
CREATE FUNCTION comments_count_article_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM comments_commentcounts WHERE article_id IN (SELECT id FROM old_rows);
    RETURN NULL;
END $$;
CREATE TRIGGER comments_count_article_delete AFTER DELETE ON articles_article
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION comments_count_article_delete();

-- The counts of the comments there are.
SELECT comments_recount(article_id) FROM (SELECT DISTINCT article_id FROM comments_comment) a;
ANALYZE comments_commentcounts;
"""

BACKWARD = """
DROP TRIGGER comments_count_article_delete ON articles_article;
DROP TRIGGER comments_count_point_delete ON comments_feedbackpoint;
DROP TRIGGER comments_count_point_update ON comments_feedbackpoint;
DROP TRIGGER comments_count_delete ON comments_comment;
DROP TRIGGER comments_count_update ON comments_comment;
DROP TRIGGER comments_count_insert ON comments_comment;
DROP FUNCTION comments_count_article_delete();
DROP FUNCTION comments_count_point_update();
DROP FUNCTION comments_count_delete();
DROP FUNCTION comments_count_update();
DROP FUNCTION comments_count_insert();
DROP FUNCTION comments_recount(bigint);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0010_article_search_rows"),
        ("comments", "0005_subscription_language"),
    ]

    operations = [
        migrations.CreateModel(
            name="CommentCounts",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        db_constraint=False,
                        editable=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="comment_counts",
                        serialize=False,
                        to="articles.article",
                    ),
                ),
                ("comments", models.IntegerField(default=0, editable=False)),
                ("feedback", models.IntegerField(default=0, editable=False)),
                ("threads", models.IntegerField(default=0, editable=False)),
            ],
            options={
                "verbose_name": "Kommentarzahlen",
                "verbose_name_plural": "Kommentarzahlen",
                "default_permissions": (),
            },
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]

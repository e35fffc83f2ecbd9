# Search rows (issue #14/#18): the full-text vector moves from a generated column of the
# article table into a narrow table written by triggers, so search filters thousands of
# matches without reading the article heap. Hand-ordered: the rows are filled from the
# old column before it is dropped, and the GIN index is built after the fill.

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

# The vector, as Django's SearchVector writes it (tests/articles/test_search_rows.py).
VECTOR = """(
    setweight(to_tsvector('german'::regconfig, COALESCE(NEW.headline, '')), 'A')
    || setweight(to_tsvector('german'::regconfig, COALESCE(COALESCE(NEW.kicker, ''), '')), 'B')
    || setweight(to_tsvector('german'::regconfig, COALESCE(NEW.lead, '')), 'B')
    || setweight(to_tsvector('german'::regconfig, COALESCE(NEW.body, '')), 'C')
)"""

FORWARD = f"""
-- Rows of about 60 bytes; the vector (1-3 KB) goes out of line, uncompressed: the
-- filter reads the GIN index and the narrow rows, only ranking reads vectors.
ALTER TABLE articles_articlesearch SET (toast_tuple_target = 128);
ALTER TABLE articles_articlesearch ALTER COLUMN vector SET STORAGE EXTERNAL;

INSERT INTO articles_articlesearch
    (article_id, status, go_live_at, expires_at, language, translation_of_id, vector)
SELECT id, status, go_live_at, expires_at, language, translation_of_id, search_vector
FROM articles_article;

CREATE FUNCTION articles_search_row_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.headline IS NOT DISTINCT FROM OLD.headline
       AND NEW.kicker IS NOT DISTINCT FROM OLD.kicker
       AND NEW.lead IS NOT DISTINCT FROM OLD.lead
       AND NEW.body IS NOT DISTINCT FROM OLD.body THEN
        -- Only the state changed (publish, schedule, expire): the vector stays.
        UPDATE articles_articlesearch
        SET status = NEW.status, go_live_at = NEW.go_live_at, expires_at = NEW.expires_at,
            language = NEW.language, translation_of_id = NEW.translation_of_id
        WHERE article_id = NEW.id;
        IF FOUND THEN
            RETURN NULL;
        END IF;
    END IF;
    INSERT INTO articles_articlesearch
        (article_id, status, go_live_at, expires_at, language, translation_of_id, vector)
    VALUES (NEW.id, NEW.status, NEW.go_live_at, NEW.expires_at, NEW.language,
            NEW.translation_of_id, {VECTOR})
    ON CONFLICT (article_id) DO UPDATE SET
        status = EXCLUDED.status, go_live_at = EXCLUDED.go_live_at,
        expires_at = EXCLUDED.expires_at, language = EXCLUDED.language,
        translation_of_id = EXCLUDED.translation_of_id, vector = EXCLUDED.vector;
    RETURN NULL;
END;
$$;

CREATE FUNCTION articles_search_row_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM articles_articlesearch WHERE article_id = OLD.id;
    RETURN NULL;
END;
$$;

CREATE TRIGGER articles_search_row_insert AFTER INSERT ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_search_row_write();
CREATE TRIGGER articles_search_row_update AFTER UPDATE ON articles_article
    FOR EACH ROW WHEN (
        NEW.headline IS DISTINCT FROM OLD.headline OR NEW.kicker IS DISTINCT FROM OLD.kicker
        OR NEW.lead IS DISTINCT FROM OLD.lead OR NEW.body IS DISTINCT FROM OLD.body
        OR NEW.status IS DISTINCT FROM OLD.status
        OR NEW.go_live_at IS DISTINCT FROM OLD.go_live_at
        OR NEW.expires_at IS DISTINCT FROM OLD.expires_at
        OR NEW.language IS DISTINCT FROM OLD.language
        OR NEW.translation_of_id IS DISTINCT FROM OLD.translation_of_id
        OR NEW.id IS DISTINCT FROM OLD.id
    ) EXECUTE FUNCTION articles_search_row_write();
CREATE TRIGGER articles_search_row_delete AFTER DELETE ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_search_row_delete();
"""

BACKWARD = """
DROP TRIGGER articles_search_row_insert ON articles_article;
DROP TRIGGER articles_search_row_update ON articles_article;
DROP TRIGGER articles_search_row_delete ON articles_article;
DROP FUNCTION articles_search_row_write();
DROP FUNCTION articles_search_row_delete();
"""


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0009_desk_preview_links_autosave'),
    ]

    operations = [
        migrations.CreateModel(
            name='ArticleSearch',
            fields=[
                ('article', models.OneToOneField(db_constraint=False, editable=False, on_delete=django.db.models.deletion.DO_NOTHING, primary_key=True, related_name='search_row', serialize=False, to='articles.article')),
                ('status', models.CharField(editable=False, max_length=20)),
                ('go_live_at', models.DateTimeField(editable=False, null=True)),
                ('expires_at', models.DateTimeField(editable=False, null=True)),
                ('language', models.CharField(editable=False, max_length=8)),
                ('vector', django.contrib.postgres.search.SearchVectorField(editable=False)),
            ],
            options={
                'verbose_name': 'Suchzeile',
                'verbose_name_plural': 'Suchzeilen',
                'default_permissions': (),
            },
        ),
        migrations.AddField(
            model_name='articlesearch',
            name='translation_of',
            field=models.ForeignKey(db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='articles.article'),
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
        migrations.AddIndex(
            model_name='articlesearch',
            index=django.contrib.postgres.indexes.GinIndex(fields=['vector'], name='article_search_vector_gin'),
        ),
        migrations.AddIndex(
            model_name='articlesearch',
            index=models.Index(fields=['status', 'go_live_at'], name='article_search_status_golive'),
        ),
        # Statistics at once: the planner chooses between the two indexes by how many rows
        # a word matches (without them it walked all rows for a common word: 90 ms on
        # 20,000 articles instead of 8; autovacuum may be off or not yet around).
        migrations.RunSQL("ANALYZE articles_articlesearch", migrations.RunSQL.noop),
        migrations.RemoveIndex(
            model_name='article',
            name='article_search_gin',
        ),
        migrations.RemoveField(
            model_name='article',
            name='search_vector',
        ),
    ]

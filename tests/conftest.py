"""Fixtures shared by every test module, and the users of each role (defined only here)."""

from collections.abc import Iterator

import pytest

from newsroom import roles
from tests.factories import AuthorFactory, UserFactory, staff_member


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    """Uploaded files of a test go to its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _every_mail_reads_as_meant() -> Iterator[None]:
    """Every mail a test sends is also checked in the bytes a backend writes: subject,
    sender and recipients decode to what the app meant, URL headers stay plain ASCII
    (tests/support/mailcheck.py)."""
    yield
    from django.core import mail

    from tests.support.mailcheck import assert_reads_as_meant

    for message in getattr(mail, "outbox", []):
        assert_reads_as_meant(message)


@pytest.fixture(scope="session")
def shared_redis_url() -> Iterator[str]:
    """One real Redis for the session (a private server unless ``REDIS_URL`` is set)."""
    from tests.support.servers import redis_server

    with redis_server() as url:
        yield url


@pytest.fixture(params=["memory", "redis"])
def cache_backend(request, settings) -> Iterator[str]:
    """Run a test on the tests' in-memory cache and on a real Redis. With Redis, process
    memory holds pages, fragments and the small configuration caches under the epoch
    (``core.pagecache.remembered``), so the test also shows that every purge reaches
    them."""
    from django.core.cache import caches

    from core import pagecache

    pagecache.local_entries.clear()
    pagecache.process_memo.clear()
    if request.param == "redis":
        url = request.getfixturevalue("shared_redis_url")
        backend = {"BACKEND": "core.cache.RedisCache", "LOCATION": url, "KEY_PREFIX": "tests"}
        settings.CACHES = {"default": backend, "counters": backend}
        caches["default"].clear()
    yield request.param
    if request.param == "redis":
        caches["default"].clear()
    pagecache.local_entries.clear()
    pagecache.process_memo.clear()


@pytest.fixture(autouse=True)
def _german_by_default(settings):
    """Every test starts in the site language; a test that requested /en/
    must not make the next test's reverse() produce /en/ URLs."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


# --- one user per role (groups and permissions from newsroom/roles.py) -------------------


@pytest.fixture
def journalist(db):
    """A Redakteurin with an author profile (bylines, "my drafts")."""
    user = staff_member("redakteurin", roles.JOURNALIST, first_name="Jana", last_name="Redlich")
    AuthorFactory(name="Jana Redlich", slug="jana-redlich", user=user)
    return user


@pytest.fixture
def other_journalist(db):
    user = staff_member("redakteur2", roles.JOURNALIST)
    AuthorFactory(name="Kai Kollege", slug="kai-kollege", user=user)
    return user


@pytest.fixture
def editor(db):
    """Chef vom Dienst: edits, publishes, pins comments."""
    return staff_member("cvd", roles.EDITOR, first_name="Carla", last_name="Vogt")


@pytest.fixture
def moderator(db):
    return staff_member("moderation", roles.MODERATOR)


@pytest.fixture
def ad_manager(db):
    return staff_member("anzeigen", roles.AD_MANAGER)


@pytest.fixture
def superuser(db):
    user = UserFactory(username="admin", is_staff=True, is_superuser=True)
    user.save()
    return user


@pytest.fixture
def role_users(journalist, editor, moderator, ad_manager):
    return {
        "journalist": journalist,
        "editor": editor,
        "moderator": moderator,
        "ad_manager": ad_manager,
    }


@pytest.fixture
def conf(db):
    """Comment settings in post-moderation (comments appear at once) unless a test
    changes them: the comments tests' and the posting budget's starting point."""
    from comments.models import ModerationMode, ModerationSettings

    settings_row = ModerationSettings.get()
    settings_row.mode = ModerationMode.POST
    settings_row.save()
    return settings_row

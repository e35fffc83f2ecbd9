"""One ``RateLimited`` and one 429 answer for every limit of the site."""

from comments import services as comment_services
from core import ratelimit


def test_comments_raise_the_one_rate_limited_exception():
    assert comment_services.RateLimited is ratelimit.RateLimited


def test_seconds_to_wait_counts_up_to_the_limit_and_names_the_wait():
    waits = [
        ratelimit.seconds_to_wait("test-wait", "203.0.113.5", limit=2, window=60) for _ in range(3)
    ]
    assert waits[:2] == [None, None]
    assert 1 <= waits[2] <= 60


def test_a_limit_of_zero_counts_nothing():
    for _ in range(3):
        assert ratelimit.seconds_to_wait("test-off", "203.0.113.6", limit=0, window=60) is None
    assert ratelimit.hit("test-off", "203.0.113.6", limit=1, window=60).count == 1

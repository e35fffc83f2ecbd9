import random

import pytest

from ads.models import Slot
from tests.ads.factories import SlotFactory

ALL_CODES = [
    ("article_top", Slot.Position.TOP, 0),
    ("article_inline", Slot.Position.INLINE, 2),
    ("article_sidebar", Slot.Position.SIDEBAR, 0),
    ("article_bottom", Slot.Position.BELOW, 0),
    ("home_top", Slot.Position.TOP, 0),
    ("section_list", Slot.Position.LIST, 3),
    ("search_top", Slot.Position.TOP, 0),
]


class FixedRandom(random.Random):
    """A random source that returns the given values in turn."""

    def __init__(self, *values: float):
        super().__init__(0)
        self.values = list(values)

    def random(self) -> float:
        return self.values.pop(0)


@pytest.fixture
def slot(db):
    return SlotFactory(code="article_top")


@pytest.fixture
def all_slots(db):
    return {
        code: SlotFactory(code=code, position=position, after_n=after_n)
        for code, position, after_n in ALL_CODES
    }


HUMAN_UA = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"

"""The worker's heap keeping (citypulse/runtime.py): frozen objects are skipped by
collections until the reclaim pass, which frees the cyclic garbage among them."""

import gc
import weakref
from collections.abc import Iterator

import pytest

from citypulse.runtime import freeze_survivors, reclaim_heap


class Node:
    """A two-object reference cycle: only the cyclic collector can free it."""

    def __init__(self) -> None:
        self.partner = Node.__new__(Node)
        self.partner.partner = self


class Plain:
    """An object in no cycle."""


@pytest.fixture(autouse=True)
def unfrozen_afterwards() -> Iterator[None]:
    yield
    gc.unfreeze()
    gc.collect()


def test_frozen_cycles_wait_for_the_reclaim_pass() -> None:
    alive = Node()
    probe = weakref.ref(alive)
    freeze_survivors()
    assert gc.get_freeze_count() > 0
    del alive  # now garbage, but frozen: an ordinary full collection skips it
    gc.collect()
    assert probe() is not None
    reclaim_heap()
    assert probe() is None
    assert gc.get_freeze_count() > 0  # the survivors are frozen again


def test_objects_without_cycles_are_freed_while_frozen() -> None:
    plain = Plain()
    probe = weakref.ref(plain)
    freeze_survivors()
    del plain  # reference counting frees it at once: this is how expired tab trees go
    assert probe() is None

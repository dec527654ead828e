"""Kept read results (read.kept): one read per evidence token, however many readers arrive at
once, and a new read as soon as the registry changes."""

import threading
import time
from datetime import date

from registry_docs import province_program, write_json

from robotwork.evidence.standing import ensure_view
from robotwork.read.kept import Kept
from robotwork.registry.importer import import_document
from robotwork.registry.sources import read_document

AS_OF = date(2026, 11, 19)


def test_readers_at_once_share_one_read_and_a_change_reads_again(engine, policy, tmp_path):
    kept: Kept[int] = Kept()
    reads = []

    def read() -> int:
        reads.append(1)
        time.sleep(0.3)  # long enough for every reader to arrive while it runs
        return len(reads)

    ensure_view(engine, policy, AS_OF)  # the stored view made once, as a running program has it
    answers = []

    def reader() -> None:
        answers.append(kept.get(engine, policy, AS_OF, read))

    readers = [threading.Thread(target=reader) for _ in range(8)]
    for r in readers:
        r.start()
    for r in readers:
        r.join()
    assert answers == [1] * 8 and len(reads) == 1
    assert kept.get(engine, policy, AS_OF, read) == 1  # nothing changed: still kept

    doc = read_document(write_json(province_program(), tmp_path / "gd.json"))
    assert import_document(engine, doc, policy, actor="test").ok
    assert kept.get(engine, policy, AS_OF, read) == 2  # the registry changed: read again
    assert kept.get(engine, policy, date(2026, 11, 20), read) == 3  # another date, its own entry


def test_a_failed_read_is_not_kept(engine, policy):
    kept: Kept[int] = Kept()

    def failing() -> int:
        raise RuntimeError("the database went away")

    for _ in range(2):
        try:
            kept.get(engine, policy, AS_OF, failing)
        except RuntimeError:
            pass
        else:
            raise AssertionError("the failure was swallowed")
    assert kept.get(engine, policy, AS_OF, lambda: 7) == 7


def test_previous_result_while_the_next_is_read_and_current_for_the_reader_who_reads(
    engine, policy, tmp_path
):
    kept: Kept[str] = Kept()
    ensure_view(engine, policy, AS_OF)
    assert kept.get(engine, policy, AS_OF, lambda: "before", previous_ok=True) == "before"
    doc = read_document(write_json(province_program(), tmp_path / "gd.json"))
    assert import_document(engine, doc, policy, actor="test").ok
    ensure_view(engine, policy, AS_OF)  # the view brought to the change, as a count leaves it
    started, release = threading.Event(), threading.Event()

    def slow_read() -> str:
        started.set()
        release.wait(10)
        return "after"

    first = []
    reader = threading.Thread(
        target=lambda: first.append(kept.get(engine, policy, AS_OF, slow_read, previous_ok=True))
    )
    reader.start()
    assert started.wait(10)

    def must_not_read() -> str:
        raise AssertionError("a second read of the same token")

    # While the first reader reads the new result, another gets the one before at once ...
    assert kept.get(engine, policy, AS_OF, must_not_read, previous_ok=True) == "before"
    # ... unless it asked for the current one only: then it waits for that read.
    waiting = []
    waiter = threading.Thread(target=lambda: waiting.append(kept.get(engine, policy, AS_OF, must_not_read)))
    waiter.start()
    release.set()
    reader.join()
    waiter.join()
    assert first == ["after"] and waiting == ["after"]
    assert kept.get(engine, policy, AS_OF, must_not_read, previous_ok=True) == "after"

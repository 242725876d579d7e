"""The day's digests are split into chunks that workers share evenly: none larger than the chunk
size, none more than one person larger than another, and everyone in exactly one, in order."""

import pytest

from cases.services.digests import even_parts


@pytest.mark.parametrize("people, size", [(101, 50), (500, 50), (4999, 50), (7, 3), (3, 3), (1, 50)])
def test_chunks_are_within_one_person_of_each_other_and_keep_everyone_once(people, size):
    ids = list(range(1000, 1000 + people))
    chunks = even_parts(ids, size)
    sizes = [len(chunk) for chunk in chunks]
    assert max(sizes) <= size and max(sizes) - min(sizes) <= 1
    assert len(chunks) == -(-people // size)  # no more chunks than chunks of `size` would need
    assert [pk for chunk in chunks for pk in chunk] == ids


def test_a_hundred_and_one_people_are_three_chunks_not_two_full_and_one_alone():
    assert [len(chunk) for chunk in even_parts(list(range(101)), 50)] == [33, 34, 34]


def test_nobody_makes_no_chunks():
    assert even_parts([], 50) == []

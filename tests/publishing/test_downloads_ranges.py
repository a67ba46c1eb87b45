"""The Range header parser (RFC 9110 §14.1.2), on its own: what a 206 sends, what is ignored
(the whole file is sent) and what is unsatisfiable (416)."""

import pytest

from publishing.portal.downloads import ByteRange, Unsatisfiable, parse_range

SIZE = 1000


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-0", ByteRange(0, 0)),
        ("bytes=0-499", ByteRange(0, 499)),
        ("bytes=500-", ByteRange(500, 999)),
        ("bytes=-1", ByteRange(999, 999)),
        ("bytes=-200", ByteRange(800, 999)),
        ("bytes=-5000", ByteRange(0, 999)),  # a suffix longer than the file: all of it
        ("bytes=900-5000", ByteRange(900, 999)),  # a last byte past the end: up to the end
        ("BYTES = 10-19", ByteRange(10, 19)),
        ("bytes= 10-19 ", ByteRange(10, 19)),
    ],
)
def test_it_reads_one_range(header: str, expected: ByteRange) -> None:
    assert parse_range(header, SIZE) == expected


@pytest.mark.parametrize(
    "header",
    [
        "bytes=0-9,20-29",  # several ranges: the whole file (allowed by the RFC)
        "bytes=20-10",  # last before first: invalid
        "items=0-9",  # another unit
        "bytes=",
        "bytes=-",
        "bytes=a-b",
        "bytes=1-2-3",
        "bytes=１-２",  # digits, but not ASCII ones
        "0-9",
    ],
)
def test_it_ignores_what_it_does_not_understand(header: str) -> None:
    assert parse_range(header, SIZE) is None


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=1000-1001", "bytes=-0"])
def test_it_tells_an_unsatisfiable_range(header: str) -> None:
    with pytest.raises(Unsatisfiable):
        parse_range(header, SIZE)


def test_a_range_counts_its_bytes() -> None:
    assert ByteRange(100, 1123).length == 1024

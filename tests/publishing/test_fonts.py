"""Start-up warns when documents would be made without HarfBuzz subsetting."""

import pytest
from django.core import checks

from publishing.documents import fonts


def test_it_is_silent_when_harfbuzz_subset_is_installed() -> None:
    assert fonts.harfbuzz_subset_available()  # .ci/run installs libharfbuzz-subset0
    assert fonts.check_harfbuzz_subset() == []


def test_it_warns_without_harfbuzz_subset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "harfbuzz_subset_available", lambda: False)
    found = [message for message in checks.run_checks() if message.id == "publishing.W001"]
    assert len(found) == 1
    assert "libharfbuzz-subset0" in str(found[0].hint)

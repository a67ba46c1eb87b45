"""The Atom feed (/public/feed.atom), parsed by feedparser as a feed reader would."""

from datetime import timedelta
from typing import Any

import feedparser
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from publishing.models import Publication
from tests.conftest import Cast
from tests.factories import DepartmentFactory, EvaluationFactory, publication_of


def publish(evaluation: Any, **fields: Any) -> Publication:
    with scopes_disabled():
        return publication_of(evaluation, **fields)


def parsed() -> Any:
    response = Client().get(reverse("portal:feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_it_lists_publications_and_withdrawals_newest_first(cast: Cast) -> None:
    now = timezone.now()
    older = publish(
        cast.evaluation_a,
        published_at=now - timedelta(days=3),
        figures={"total_score": "89.19", "grade": "良", "completion_rate": "97.73%"},
    )
    withdrawn = publish(
        cast.evaluation_b,
        published_at=now - timedelta(days=5),
        state="withdrawn",
        withdrawn_at=now - timedelta(hours=1),
        withdrawal_reason="数据有误",
    )
    newest = publish(cast.other_evaluation, published_at=now - timedelta(days=1))
    pending = EvaluationFactory(
        campaign=cast.campaign, department=DepartmentFactory(jurisdiction=cast.bureau)
    )
    publish(pending, state="pending", published_at=None, title="生成中的报告")

    feed = parsed()

    site = "http://testserver"
    links = [entry.link for entry in feed.entries]
    assert links == [
        site + reverse("portal:publication", args=[publication.code])
        for publication in (withdrawn, newest, older)
    ]
    assert feed.feed.title == "预算绩效自评报告公开"
    assert feed.feed.link == site + reverse("portal:index")
    first, second, third = feed.entries
    assert withdrawn.withdrawn_at is not None and withdrawn.published_at is not None
    assert first.title.startswith("【已撤回】")
    assert "数据有误" in first.summary
    assert first.id == first.link
    assert first.updated_parsed[:5] == withdrawn.withdrawn_at.utctimetuple()[:5]
    assert first.published_parsed[:5] == withdrawn.published_at.utctimetuple()[:5]
    assert second.author == "子市财政局"
    assert third.author == "甲市财政局"
    assert third.title == older.title
    assert "总分：89.19" in third.summary and "整体支出完成率：97.73%" in third.summary
    assert older.display_code in third.summary
    assert all("生成中" not in entry.title for entry in feed.entries)


def test_an_empty_feed_is_still_valid(cast: Cast) -> None:
    feed = parsed()
    assert feed.entries == []

"""The public portal's pages (/public/): list, filters, search, campaign and publication pages."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from publishing import trigrams
from publishing.models import Publication
from tests.conftest import Cast
from tests.factories import DepartmentFactory, EvaluationFactory, artifact_of, publication_of

FIGURES = {
    "total_score": "89.19",
    "score_basis": "系统按评分表计算得分",
    "grade": "良",
    "completion_rate": "97.73%",
    "execution_rate": "96.79%",
    "actual_expenditure": "4165.93",
}


def publish(evaluation: Any, **fields: Any) -> Publication:
    with scopes_disabled():
        return publication_of(evaluation, **fields)


def anonymous() -> Client:
    return Client()


def titles(html: str) -> list[str]:
    """The publications a list shows, in order (their headings' links)."""
    return re.findall(r'<h3 id="pub-[0-9A-Z]+"><a href="[^"]+">([^<]+)</a>', html)


@pytest.fixture
def published(cast: Cast) -> Publication:
    publication = publish(cast.evaluation_a, figures=FIGURES)
    with scopes_disabled():
        artifact_of(publication, "package", b"%PDF-1.7 package", pages=12)
        artifact_of(publication, "report", b"%PDF-1.7 report", pages=5, position=1)
    return publication


def test_it_lists_published_and_withdrawn_but_never_pending_or_failed(cast: Cast) -> None:
    publish(cast.evaluation_a, title="甲市商务局公开报告")
    publish(
        cast.evaluation_b,
        title="甲市文化局撤回报告",
        state="withdrawn",
        withdrawn_at=timezone.now(),
        withdrawal_reason="数据填报有误",
    )
    publish(cast.other_evaluation, title="子市商务局生成中", state="pending")
    failed = EvaluationFactory(
        campaign=cast.campaign, department=DepartmentFactory(jurisdiction=cast.bureau)
    )
    publish(failed, title="生成失败的报告", state="failed")

    response = anonymous().get(reverse("portal:index"))

    assert response.status_code == 200
    html = response.content.decode()
    assert sorted(titles(html)) == ["甲市商务局公开报告", "甲市文化局撤回报告"]
    assert "已撤回" in html and "数据填报有误" in html
    assert "生成中" not in html and "生成失败的报告" not in html


def test_it_shows_key_figures_in_the_list(published: Publication) -> None:
    html = anonymous().get(reverse("portal:index")).content.decode()
    assert "<dt>总分</dt><dd>89.19</dd>" in html
    assert "<dt>整体支出完成率</dt><dd>97.73%</dd>" in html
    assert "<dt>等级</dt><dd>良</dd>" in html


def test_it_searches_by_department_or_title_by_substring(cast: Cast) -> None:
    publish(cast.evaluation_a, search_text="甲市商务局 甲市2019年度自评")
    publish(cast.evaluation_b, search_text="甲市文化局 甲市2019年度自评")
    publish(cast.other_evaluation, search_text="子市商务局 子市2019年度自评")
    client = anonymous()

    def found(q: str) -> set[str]:
        html = client.get(reverse("portal:index"), {"q": q}).content.decode()
        return {title[:5] for title in titles(html)}

    assert found("商务局") == {"甲市商务局", "子市商务局"}
    assert found("文化") == {"甲市文化局"}
    assert found("子市 商务") == {"子市商务局"}  # every word must occur
    assert found("乙市") == set()


def test_a_query_is_text_not_a_pattern(cast: Cast) -> None:
    publish(cast.evaluation_a, title="甲", search_text="甲市商务局（含100%下属单位）")
    publish(cast.evaluation_b, title="乙", search_text="甲市文化局")
    client = anonymous()
    for q, expected in (
        ("100%", ["甲"]),
        ("（含", ["甲"]),
        (".*", []),
        ("[", []),
        ("\\", []),
        ("%", ["甲"]),
    ):
        response = client.get(reverse("portal:index"), {"q": q})
        assert response.status_code == 200
        assert titles(response.content.decode()) == expected, q


def test_it_ranks_the_closest_match_first(cast: Cast) -> None:
    now = timezone.now()
    publish(
        cast.evaluation_a,
        title="长的",
        search_text="甲市商务局 甲市2019年度部门整体支出绩效自评报告",
        published_at=now,
    )
    # The closest, though older: only the similarity puts it first.
    publish(
        cast.evaluation_b,
        title="短的",
        search_text="甲市商务局",
        published_at=now - timedelta(days=2),
    )
    html = anonymous().get(reverse("portal:index"), {"q": "甲市商务局"}).content.decode()
    # The quick start's embedded server has no pg_trgm: there the same matches, newest first.
    assert titles(html) == (
        ["短的", "长的"] if trigrams.ranks_by_similarity() else ["长的", "短的"]
    )


def test_without_pg_trgm_it_finds_the_same_newest_first(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As on a server without the extension (the embedded one): matching needs none, ranking
    falls back to the publication time."""
    monkeypatch.setattr(trigrams, "ranks_by_similarity", lambda alias="default": False)
    now = timezone.now()
    publish(
        cast.evaluation_a,
        title="短的旧",
        search_text="甲市商务局",
        published_at=now - timedelta(days=2),
    )
    publish(
        cast.evaluation_b,
        title="长的新",
        search_text="甲市商务局 甲市2019年度部门整体支出绩效自评报告",
        published_at=now,
    )
    publish(cast.other_evaluation, title="别的", search_text="子市文化局")
    html = anonymous().get(reverse("portal:index"), {"q": "甲市商务局"}).content.decode()
    assert titles(html) == ["长的新", "短的旧"]


def test_it_says_how_it_searches(cast: Cast) -> None:
    html = anonymous().get(reverse("portal:index")).content.decode()
    assert "pg_trgm" in html and 'type="search" name="q"' in html


def test_it_filters_by_bureau_year_and_department(cast: Cast) -> None:
    publish(cast.evaluation_a, title="甲商务")
    publish(cast.evaluation_b, title="甲文化", fiscal_year=2020)
    publish(cast.other_evaluation, title="子商务")
    client = anonymous()
    index = reverse("portal:index")

    by_bureau = client.get(index, {"bureau": "jia"}).content.decode()
    assert sorted(titles(by_bureau)) == ["甲商务", "甲文化"]
    # Once a bureau is chosen, its departments are offered.
    assert '<option value="jia-culture">甲市文化局</option>' in by_bureau
    assert titles(client.get(index, {"year": "2020"}).content.decode()) == ["甲文化"]
    assert titles(
        client.get(index, {"bureau": "jia", "department": "jia-commerce"}).content.decode()
    ) == ["甲商务"]
    # The choices come from what is public: both bureaus, both years.
    assert '<option value="zi">子市财政局</option>' in by_bureau
    assert '<option value="2020">2020</option>' in by_bureau


def test_it_ignores_a_bad_year(cast: Cast) -> None:
    publish(cast.evaluation_a, title="甲商务")
    html = anonymous().get(reverse("portal:index"), {"year": "20x9"}).content.decode()
    assert titles(html) == ["甲商务"]


def test_it_paginates_newest_first_keeping_the_filters(cast: Cast) -> None:
    departments = DepartmentFactory.create_batch(24, jurisdiction=cast.bureau)
    now = timezone.now()
    for number, department in enumerate(departments):
        evaluation = EvaluationFactory(campaign=cast.campaign, department=department)
        publish(evaluation, title=f"报告{number:02d}", published_at=now + timedelta(minutes=number))
    client = anonymous()

    first = client.get(reverse("portal:index"), {"bureau": "jia"}).content.decode()
    second = client.get(reverse("portal:index"), {"bureau": "jia", "page": "2"}).content.decode()

    assert titles(first) == [f"报告{number:02d}" for number in range(23, 3, -1)]
    assert titles(second) == ["报告03", "报告02", "报告01", "报告00"]
    assert 'href="?bureau=jia&amp;page=2" rel="next"' in first
    assert "共 24 份" in first


def test_it_shows_a_publication(published: Publication) -> None:
    response = anonymous().get(reverse("portal:publication", args=[published.code]))

    assert response.status_code == 200
    html = response.content.decode()
    assert published.title in html
    assert "甲市商务局" in html and "甲市财政局" in html
    assert published.display_code in html
    assert reverse("verify:code", args=[published.code]) in html
    assert "<dt>整体支出完成率</dt><dd>97.73%</dd>" in html
    assert "<dt>得分口径</dt><dd>系统按评分表计算得分</dd>" in html
    package = reverse("portal:download", args=[published.code, "package"])
    report = reverse("portal:download", args=[published.code, "report"])
    assert f'href="{package}"' in html and f'href="{report}"' in html
    assert html.index(package) < html.index(report)  # by position
    with scopes_disabled():
        sha256 = published.artifacts.get(document="package").sha256
    assert f'<code class="hash">{sha256}</code>' in html
    assert reverse("portal:publication_json", args=[published.code]) in html


def test_a_withdrawn_publication_keeps_its_hashes_but_no_download_links(
    published: Publication,
) -> None:
    Publication.public.filter(pk=published.pk).update(
        state="withdrawn", withdrawn_at=timezone.now(), withdrawal_reason="更正后重新公开"
    )
    html = anonymous().get(reverse("portal:publication", args=[published.code])).content.decode()

    assert "已撤回" in html and "更正后重新公开" in html
    assert "/files/" not in html
    with scopes_disabled():
        sha256 = published.artifacts.get(document="package").sha256
    assert sha256 in html


def test_a_typed_code_is_redirected_to_the_stored_one(published: Publication) -> None:
    typed = published.display_code.lower()

    response = anonymous().get(reverse("portal:publication", args=[typed]))

    assert response.status_code == 301
    assert response["Location"] == reverse("portal:publication", args=[published.code])


@pytest.mark.parametrize("state", ["pending", "failed"])
def test_a_publication_not_public_is_not_found(cast: Cast, state: str) -> None:
    publication = publish(cast.evaluation_a, state=state)
    response = anonymous().get(reverse("portal:publication", args=[publication.code]))
    assert response.status_code == 404


def test_an_unknown_code_is_not_found(cast: Cast) -> None:
    assert anonymous().get("/public/p/0000-0000-0000/").status_code == 301
    assert anonymous().get("/public/p/000000000000/").status_code == 404
    assert anonymous().get("/public/p/short/").status_code == 404


def test_it_shows_a_campaign_side_by_side(cast: Cast) -> None:
    shown = publish(cast.evaluation_a, figures={"total_score": "91.00", "grade": "优"})
    publish(cast.evaluation_b, fiscal_year=2020)
    publish(cast.other_evaluation)
    culture = EvaluationFactory(
        campaign=cast.campaign,
        department=DepartmentFactory(jurisdiction=cast.bureau, name="甲市教育局"),
    )
    withdrawn = publish(
        culture, state="withdrawn", withdrawn_at=timezone.now(), withdrawal_reason="更正"
    )

    response = anonymous().get(reverse("portal:campaign", args=["jia", 2019]))

    assert response.status_code == 200
    html = response.content.decode()
    rows = re.findall(r'<th scope="row"><a href="/public/p/([0-9A-Z]+)/">([^<]+)</a>', html)
    assert rows == [(shown.code, "甲市商务局"), (withdrawn.code, "甲市教育局")]  # by name
    assert "甲市财政局 2019年度预算绩效自评公开" in html
    assert '<td data-label="总分">91.00</td><td data-label="等级">优</td>' in html
    assert '<td data-label="整体支出完成率">—</td>' in html
    assert 'class="is-withdrawn"' in html and "更正" in html
    assert reverse("portal:campaign_csv", args=["jia", 2019]) in html


def test_a_campaign_without_publications_is_not_found(cast: Cast) -> None:
    publish(cast.evaluation_a, state="pending")
    client = anonymous()
    assert client.get(reverse("portal:campaign", args=["jia", 2019])).status_code == 404
    assert client.get(reverse("portal:campaign", args=["nowhere", 2019])).status_code == 404


@pytest.mark.parametrize("name", ["anonymous", "filler_a"])
def test_everyone_sees_the_portal_link(cast: Cast, name: str) -> None:
    html = cast.client_for(name).get("/", follow=True).content.decode()
    assert f'<a href="{reverse("portal:index")}">公开信息</a>' in html


def test_the_pages_are_accessible_landmarks_and_headings(published: Publication) -> None:
    client = anonymous()
    for url in (
        reverse("portal:index"),
        reverse("portal:publication", args=[published.code]),
        reverse("portal:campaign", args=["jia", 2019]),
    ):
        html = client.get(url).content.decode()
        assert html.count("<h1") == 1
        assert '<main id="main"' in html
        assert "style=" not in html and "<script>" not in html  # CSP: no inline style or script

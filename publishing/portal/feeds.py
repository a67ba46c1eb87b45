"""The Atom feed of the portal (/public/feed.atom): the newest publications and withdrawals.

One entry per publication, its id the publication's page: a withdrawal updates the entry (a new
`updated` time, the title marked 已撤回 and the reason in the summary), as Atom means entries to
be updated rather than repeated.
"""

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from publishing.figures import figure_rows
from publishing.models import Publication
from publishing.selectors import feed_publications

FEED_SIZE = 50

# The figures an entry's summary names (the page has them all).
SUMMARY_FIGURES = ("total_score", "score_basis", "grade", "completion_rate", "execution_rate")


class PublicationsFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("预算绩效自评报告公开")
    subtitle = gettext_lazy("各预算部门经财政部门审核后公开的绩效自评报告，及其撤回。")
    author_name = gettext_lazy("预算绩效自评平台")

    def link(self) -> str:
        return reverse("portal:index")

    def feed_url(self) -> str:
        return reverse("portal:feed")

    def items(self) -> list[Publication]:
        return feed_publications(FEED_SIZE)

    def item_title(self, item: Publication) -> str:
        if item.state == Publication.State.WITHDRAWN:
            return _("【已撤回】%(title)s") % {"title": item.title}
        return item.title

    def item_link(self, item: Publication) -> str:
        return reverse("portal:publication", kwargs={"code": item.code})

    def item_pubdate(self, item: Publication) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Publication) -> datetime | None:
        return item.withdrawn_at or item.published_at

    def item_author_name(self, item: Publication) -> str:
        return item.jurisdiction.name

    def item_categories(self, item: Publication) -> list[str]:
        return [item.jurisdiction.name, str(item.fiscal_year)]

    def item_description(self, item: Publication) -> str:
        return entry_summary(item)


def entry_summary(publication: Publication) -> str:
    """Who and which year, the key figures, and the reason when withdrawn; plain text."""
    parts = [
        _("%(department)s，%(year)d年度，验证码 %(code)s。")
        % {
            "department": publication.department.name,
            "year": publication.fiscal_year,
            "code": publication.display_code,
        }
    ]
    figures = [
        f"{label}：{value}"
        for key, label, value in figure_rows(publication.figures)
        if key in SUMMARY_FIGURES
    ]
    if figures:
        parts.append("；".join(figures) + "。")
    if publication.state == Publication.State.WITHDRAWN:
        parts.append(_("已撤回，理由：%(reason)s") % {"reason": publication.withdrawal_reason})
    return "".join(parts)


feed = PublicationsFeed()

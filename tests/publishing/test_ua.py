"""The smaller user-agent stylesheet (publishing/documents/ua.py) changes nothing on the page."""

from weasyprint import HTML

from publishing.documents.fetcher import STATIC_PDF, AllowListFetcher
from publishing.documents.renderer import PDF_OPTIONS, Rendered, renderer
from publishing.documents.ua import SMALL_UA
from tests.publishing import pdf


def test_the_installed_weasyprint_has_the_rules_the_small_stylesheet_leaves_out() -> None:
    # Otherwise the renderer quietly falls back to the stock stylesheet (and its old speed).
    assert SMALL_UA is not None


def test_the_package_looks_the_same_as_with_weasyprints_own_stylesheet(
    demo_documents: dict[str, Rendered], demo_package_html: str
) -> None:
    stock = HTML(
        string=demo_package_html, url_fetcher=AllowListFetcher(), base_url=STATIC_PDF.as_uri() + "/"
    ).write_pdf(
        stylesheets=[renderer().stylesheet], font_config=renderer().font_config, **PDF_OPTIONS
    )
    ours = demo_documents["package"].content
    assert pdf.text(ours) == pdf.text(stock)
    images = pdf.page_images(ours)
    assert len(images) == demo_documents["package"].pages
    assert images == pdf.page_images(stock)  # every page, pixel for pixel at 50 dpi

from django.urls import path

from publishing.portal import downloads, feeds, opendata, verify, views

portal_urls = [
    path("", views.index, name="index"),
    path("feed.atom", feeds.feed, name="feed"),
    path("schema/<slug:name>.json", opendata.schema, name="schema"),
    path("p/<str:code>/", views.publication, name="publication"),
    path("p/<str:code>/data.json", opendata.publication_json, name="publication_json"),
    path("p/<str:code>/data.csv", opendata.publication_csv, name="publication_csv"),
    path("p/<str:code>/files/<slug:document>", downloads.download, name="download"),
    # `bureau`, not `jurisdiction`: that name would make the tenant middleware guard the URL.
    path("<slug:bureau>/<int:year>/", views.campaign, name="campaign"),
    path("<slug:bureau>/<int:year>/data.json", opendata.campaign_json, name="campaign_json"),
    path("<slug:bureau>/<int:year>/data.csv", opendata.campaign_csv, name="campaign_csv"),
]

verify_urls = [
    path("", verify.upload, name="upload"),
    path("<str:code>/", verify.code, name="code"),
]

from django.urls import path

from stats import admin_views, ledgers

app_name = "stats_admin"
urlpatterns = [
    path("statistics/", admin_views.ranking, name="ranking"),
    path("statistics/ranking.<str:file_type>", admin_views.ranking_download, name="ranking_download"),
    path("ledgers/", ledgers.ledger, name="ledgers"),
    path("ledgers/<str:name>/", ledgers.ledger, name="ledger"),
    path("ledgers/<str:name>/ledger.csv", ledgers.ledger_csv, name="ledger_csv"),
    path("hot-topics/", admin_views.hot_topics_report, name="hot_topics"),
    path("bulletin/", admin_views.bulletin_page, name="bulletin"),
    path("bulletin.pdf", admin_views.bulletin_pdf, name="bulletin_pdf"),
]

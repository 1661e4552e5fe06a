from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("dashboards/", views.portfolio, name="portfolio"),
    path("dashboards/print/", views.portfolio_print, name="portfolio_print"),
    path("dashboards/portfolio.csv", views.portfolio_csv, name="portfolio_csv"),
    path("dashboards/migrations/<int:pk>/", views.migration, name="migration"),
]

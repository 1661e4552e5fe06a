"""Migrations and their checklist. Paths are kept as they were first published (bookmarks, emails)."""

from django.urls import path

from . import views

app_name = "checklists"

urlpatterns = [
    path("migrations/new/", views.migration_create, name="migration_create"),
    path("migrations/<int:pk>/", views.migration_detail, name="migration"),
    path("migrations/<int:pk>/checklist/", views.checklist, name="checklist"),
    path("migrations/<int:pk>/steps/<int:step_pk>/", views.step_edit, name="step"),
    path("migrations/<int:pk>/steps/<int:step_pk>/tick/", views.step_tick, name="step_tick"),
    path("migrations/<int:pk>/key-dates/", views.key_dates, name="key_dates"),
    path("migrations/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("migrations/<int:pk>/phases/<slug:phase>/done/", views.phase_done, name="phase_done"),
    path("migrations/<int:pk>/history/", views.history, name="history"),
]

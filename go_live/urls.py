"""The go-live day's pages, under the migration's path as first published (bookmarks, emails)."""

from django.urls import path

from . import views

app_name = "go_live"

urlpatterns = [
    path("migrations/<int:pk>/go-live/", views.go_live, name="go_live"),
    path("migrations/<int:pk>/go-live/sign-off/", views.go_live_sign_off, name="go_live_sign_off"),
    path("migrations/<int:pk>/go-live/supplier-told/", views.supplier_confirmation, name="supplier_confirmation"),
    path("migrations/<int:pk>/data-checks/", views.data_checks, name="data_checks"),
    path("migrations/<int:pk>/data-checks/new/", views.data_check_create, name="data_check_create"),
    path("migrations/<int:pk>/issues/", views.issues, name="issues"),
    path("migrations/<int:pk>/issues/new/", views.issue_create, name="issue_create"),
    path("migrations/<int:pk>/issues/<int:issue_pk>/", views.issue_edit, name="issue"),
    path("migrations/<int:pk>/process-review/", views.process_review, name="process_review"),
]

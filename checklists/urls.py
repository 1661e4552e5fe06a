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
    path("migrations/<int:pk>/history/", views.history, name="history"),
    path("migrations/<int:pk>/go-live/", views.go_live, name="go_live"),
    path("migrations/<int:pk>/go-live/sign-off/", views.go_live_sign_off, name="go_live_sign_off"),
    path("migrations/<int:pk>/go-live/supplier-told/", views.supplier_confirmation, name="supplier_confirmation"),
    path("migrations/<int:pk>/data-checks/", views.data_checks, name="data_checks"),
    path("migrations/<int:pk>/data-checks/new/", views.data_check_create, name="data_check_create"),
    path("migrations/<int:pk>/issues/", views.issues, name="issues"),
    path("migrations/<int:pk>/issues/new/", views.issue_create, name="issue_create"),
    path("migrations/<int:pk>/issues/<int:issue_pk>/", views.issue_edit, name="issue"),
    path("migrations/<int:pk>/process-review/", views.process_review, name="process_review"),
    path("migrations/<int:pk>/links/", views.links, name="links"),
    path("migrations/<int:pk>/links/set-up/", views.links_setup, name="links_setup"),
    path("migrations/<int:pk>/links/local-service/", views.local_service_add, name="local_service_add"),
    path("migrations/<int:pk>/links/<int:link_pk>/", views.link_detail, name="link"),
    path("migrations/<int:pk>/links/<int:link_pk>/back/", views.link_move_back, name="link_move_back"),
    path(
        "migrations/<int:pk>/links/<int:link_pk>/reconfiguration/",
        views.link_reconfiguration,
        name="link_reconfiguration",
    ),
    path("migrations/<int:pk>/links/<int:link_pk>/<slug:move>/", views.link_move, name="link_move"),
    path("migrations/<int:pk>/mesh/", views.mesh_change, name="mesh_change"),
    path("migrations/<int:pk>/mesh/partners/new/", views.mesh_partner_add, name="mesh_partner_add"),
    path("migrations/<int:pk>/mesh/partners/<int:notice_pk>/told/", views.mesh_partner_told, name="mesh_partner_told"),
    path("migrations/<int:pk>/cutover-registrations/", views.cutover_registrations, name="cutover_registrations"),
]

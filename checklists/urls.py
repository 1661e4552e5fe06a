from django.urls import path

from .views import checklist_views, go_live_views, link_views

app_name = "checklists"

urlpatterns = [
    path("migrations/new/", checklist_views.migration_create, name="migration_create"),
    path("migrations/<int:pk>/", checklist_views.migration_detail, name="migration"),
    path("migrations/<int:pk>/checklist/", checklist_views.checklist, name="checklist"),
    path("migrations/<int:pk>/steps/<int:step_pk>/", checklist_views.step_edit, name="step"),
    path("migrations/<int:pk>/steps/<int:step_pk>/tick/", checklist_views.step_tick, name="step_tick"),
    path("migrations/<int:pk>/key-dates/", checklist_views.key_dates, name="key_dates"),
    path("migrations/<int:pk>/history/", checklist_views.history, name="history"),
    path("migrations/<int:pk>/go-live/", go_live_views.go_live, name="go_live"),
    path("migrations/<int:pk>/go-live/sign-off/", go_live_views.go_live_sign_off, name="go_live_sign_off"),
    path(
        "migrations/<int:pk>/go-live/supplier-told/", go_live_views.supplier_confirmation, name="supplier_confirmation"
    ),
    path("migrations/<int:pk>/data-checks/", go_live_views.data_checks, name="data_checks"),
    path("migrations/<int:pk>/data-checks/new/", go_live_views.data_check_create, name="data_check_create"),
    path("migrations/<int:pk>/issues/", go_live_views.issues, name="issues"),
    path("migrations/<int:pk>/issues/new/", go_live_views.issue_create, name="issue_create"),
    path("migrations/<int:pk>/issues/<int:issue_pk>/", go_live_views.issue_edit, name="issue"),
    path("migrations/<int:pk>/process-review/", go_live_views.process_review, name="process_review"),
    path("migrations/<int:pk>/links/", link_views.links, name="links"),
    path("migrations/<int:pk>/links/set-up/", link_views.links_setup, name="links_setup"),
    path("migrations/<int:pk>/links/local-service/", link_views.local_service_add, name="local_service_add"),
    path("migrations/<int:pk>/links/<int:link_pk>/", link_views.link_detail, name="link"),
    path("migrations/<int:pk>/links/<int:link_pk>/back/", link_views.link_move_back, name="link_move_back"),
    path(
        "migrations/<int:pk>/links/<int:link_pk>/reconfiguration/",
        link_views.link_reconfiguration,
        name="link_reconfiguration",
    ),
    path("migrations/<int:pk>/links/<int:link_pk>/<slug:move>/", link_views.link_move, name="link_move"),
    path("migrations/<int:pk>/mesh/", link_views.mesh_change, name="mesh_change"),
    path("migrations/<int:pk>/mesh/partners/new/", link_views.mesh_partner_add, name="mesh_partner_add"),
    path(
        "migrations/<int:pk>/mesh/partners/<int:notice_pk>/told/",
        link_views.mesh_partner_told,
        name="mesh_partner_told",
    ),
    path("migrations/<int:pk>/cutover-registrations/", link_views.cutover_registrations, name="cutover_registrations"),
]

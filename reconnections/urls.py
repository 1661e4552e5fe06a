"""Third-party reconnections, under the migration's path as first published (bookmarks, emails)."""

from django.urls import path

from . import views

app_name = "reconnections"

urlpatterns = [
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
    path(
        "migrations/<int:pk>/mesh/partners/<int:notice_pk>/told/",
        views.mesh_partner_told,
        name="mesh_partner_told",
    ),
    path("migrations/<int:pk>/cutover-registrations/", views.cutover_registrations, name="cutover_registrations"),
]

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/code/", views.verify, name="verify"),
    path("sign-in/backup-code/", views.verify, {"backup": True}, name="verify_backup"),
    path("account/", views.account, name="account"),
    path("account/two-factor/set-up/", views.set_up, name="set_up"),
    path("account/two-factor/backup-codes/", views.backup_codes, name="backup_codes"),
    path("account/two-factor/backup-codes/new/", views.backup_codes_replace, name="backup_codes_replace"),
    path("account/two-factor/turn-off/", views.turn_off, name="turn_off"),
    path("session/", views.session_status, name="session_status"),
    path("session/extend/", views.session_extend, name="session_extend"),
]

from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("my-tasks/", views.my_tasks, name="my_tasks"),
    path("my-tasks/reminders/", views.preferences, name="preferences"),
]

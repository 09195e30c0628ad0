from django.urls import path

from . import views

app_name = "corrections"
urlpatterns = [
    path("new/", views.suggest, name="new"),
    path("thanks/", views.thanks, name="thanks"),
]

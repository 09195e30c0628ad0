from django.urls import path

from . import views

app_name = "alerts"
urlpatterns = [
    path("follow/<str:kind>/<str:key>/", views.follow, name="follow"),
    path("check-your-inbox/", views.check_inbox, name="check_inbox"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]

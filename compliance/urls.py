from django.urls import path

from . import views

app_name = "compliance"
urlpatterns = [
    path("matrix/", views.MatrixListView.as_view(), name="matrix"),
]

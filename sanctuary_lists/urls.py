from django.urls import path

from . import views

app_name = "sanctuary_lists"
urlpatterns = [
    path("", views.PublishedListIndexView.as_view(), name="list"),
    path("compare/", views.compare, name="compare"),
    path("id/<int:pk>/", views.list_by_id, name="by_id"),
    path("<slug:slug>/", views.PublishedListDetailView.as_view(), name="detail"),
]

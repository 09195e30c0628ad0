from django.urls import path

from . import views

app_name = "letters"
urlpatterns = [
    path("letters/", views.LetterListView.as_view(), name="list"),
    path("letters/<int:pk>/", views.LetterDetailView.as_view(), name="detail"),
    path("timeline/", views.TimelineView.as_view(), name="timeline"),
]

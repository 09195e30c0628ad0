from django.urls import path

from . import views

app_name = "letters"
urlpatterns = [
    path("letters/", views.LetterListView.as_view(), name="list"),
    path("letters/<int:pk>/", views.LetterDetailView.as_view(), name="detail"),
    path("letters/<int:pk>/document.pdf", views.letter_document, name="document"),
    path("timeline/", views.TimelineView.as_view(), name="timeline"),
    path("events/<int:pk>/", views.EventDetailView.as_view(), name="event"),
]

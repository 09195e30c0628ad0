from django.urls import path

from . import views

app_name = "programs"
urlpatterns = [
    path("programs/", views.ProgramListView.as_view(), name="list"),
    path("programs/<slug:slug>/", views.ProgramDetailView.as_view(), name="detail"),
    path("conditions/", views.ConditionListView.as_view(), name="condition_list"),
    path("conditions/<slug:code>/", views.ConditionDetailView.as_view(), name="condition_detail"),
]

"""Public site URLs (namespace ``podcasts``)."""

from django.urls import path

from . import views

app_name = "podcasts"

urlpatterns = [
    path("podcast/<str:slug>/", views.EpisodeDetailView.as_view(), name="episode"),
]

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("podcasts.public.urls")),
]

handler404 = "podcasts.public.views.page_not_found"
handler500 = "podcasts.public.views.server_error"

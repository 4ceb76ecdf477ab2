"""Share cards and the WeChat JS-SDK signature, under /share/ (see kepu/urls.py)."""

from django.urls import path

from . import views

app_name = "sharing"

urlpatterns = [
    path("page/<int:page_id>.png", views.page_card, name="page_card"),
    path("wechat-config", views.wechat_config, name="wechat_config"),
]

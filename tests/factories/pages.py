import wagtail_factories

from content.models import HomePage


class HomePageFactory(wagtail_factories.PageFactory):
    title = "科普在线"
    intro = "身边的科学，一点就懂。"

    class Meta:
        model = HomePage

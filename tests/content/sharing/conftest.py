import pytest

from tests.factories.pages import ArticlePageFactory
from tests.factories.reach import site_home


@pytest.fixture
def article():
    home = site_home()
    return ArticlePageFactory(parent=home, title="家庭防火与燃气安全必修课")

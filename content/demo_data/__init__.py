"""Original demo texts for `load_demo` (written for kepu; see /docs/content.md)."""

from .articles_a import ARTICLES as _ARTICLES_A
from .articles_b import ARTICLES as _ARTICLES_B
from .articles_b import CAMPAIGN, VIDEOS

__all__ = ["ARTICLES", "CAMPAIGN", "SECTIONS", "TOPICS", "VIDEOS"]

TOPICS = [
    {"slug": "epidemic", "name": "防疫", "description": "传染病的预防、疫苗与个人防护。"},
    {"slug": "health", "name": "健康", "description": "饮食、运动、睡眠与常见慢性病的科学知识。"},
    {
        "slug": "emergency",
        "name": "应急避险",
        "description": "地震、洪水、火灾等灾害中的自救互救。",
    },
    {"slug": "space", "name": "航天", "description": "火箭、卫星、空间站与探月的故事。"},
    {"slug": "agriculture", "name": "农业", "description": "育种、节水灌溉与从田间到餐桌的科学。"},
    {"slug": "environment", "name": "生态环境", "description": "垃圾分类、碳中和与身边的自然。"},
    {
        "slug": "frontier",
        "name": "前沿科技",
        "description": "人工智能、量子计算等新技术，说清原理也说清局限。",
    },
    {
        "slug": "everyday",
        "name": "生活中的科学",
        "description": "彩虹、闪电、电池……日常现象背后的道理。",
    },
]

SECTIONS = [
    {
        "slug": "health",
        "title": "健康生活",
        "intro": "吃得对、睡得好、少生病，从读懂一点科学开始。",
    },
    {"slug": "safety", "title": "应急安全", "intro": "灾害来临时多知道一点，就多一分安全。"},
    {"slug": "science", "title": "科技与自然", "intro": "从星空到田野，看科学怎样改变生活。"},
    {"slug": "videos", "title": "科普视频", "intro": "几分钟的短视频，把一个知识点讲明白。"},
]

ARTICLES = [*_ARTICLES_A, *_ARTICLES_B]

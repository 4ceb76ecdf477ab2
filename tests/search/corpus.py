"""A small corpus for the shared backend suite: what each query must find, on every backend."""

import datetime

from search.backends.base import SearchDocument

UTC = datetime.UTC


def at(year, month, day, hour=12):
    return datetime.datetime(year, month, day, hour, tzinfo=UTC)


DOCUMENTS = [
    SearchDocument(
        key="page:1",
        kind="article",
        title="新冠疫苗接种须知",
        url="/articles/covid-vaccine/",
        summary="接种新冠疫苗前，要了解哪些注意事项？",
        body="接种后留观三十分钟。按时完成全程接种可以降低重症风险。",
        topics=("防疫",),
        section="健康",
        date=at(2024, 3, 1),
    ),
    SearchDocument(
        key="page:2",
        kind="article",
        title="電腦是怎樣工作的",
        url="/articles/computer/",
        summary="從開機到運行程式，一台電腦裡發生了什麼。",
        body="電腦由中央處理器、記憶體和硬碟組成。",
        topics=("科技",),
        date=at(2023, 5, 10),
    ),
    SearchDocument(
        key="page:3",
        kind="video",
        title="新型冠状病毒是如何传播的",
        url="/videos/virus-spread/",
        body="飞沫和密切接触是主要的传播途径，勤洗手、戴口罩。",
        topics=("防疫",),
        date=at(2022, 1, 15),
    ),
    SearchDocument(
        key="quiz:1",
        kind="quiz",
        title="全国科普日有奖竞答",
        url="/quiz/science-day/",
        body="由科学技术协会举办的知识竞答，答对十题即可参加抽奖。",
        topics=("科普",),
        date=at(2024, 9, 15),
    ),
    SearchDocument(
        key="contest:1",
        kind="contest",
        title="青少年科普短视频征集",
        url="/contest/short-videos/",
        body="由市科协主办，欢迎中小学生投稿。",
        topics=("科普",),
        date=at(2024, 6, 1),
    ),
    SearchDocument(
        key="work:1",
        kind="work",
        title="我家的小小气象站",
        url="/contest/weather/works/1/",
        body="用温度计和湿度计记录一个月的天气变化。",
        topics=("气象",),
        date=at(2024, 7, 1),
    ),
    SearchDocument(
        key="page:4",
        kind="article",
        title="流感疫苗每年都要打吗",
        url="/articles/flu-vaccine/",
        body="流感病毒变异很快，所以每年都建议接种新的疫苗。",
        topics=("健康", "防疫"),
        date=at(2023, 10, 1),
    ),
    SearchDocument(
        key="page:5",
        kind="article",
        title="地震来了怎么办",
        url="/articles/earthquake/",
        body="应急避险：躲在坚固的桌子下面，护住头部。学校的乒乓球拍卖完了也不要慌。",
        topics=("应急避险",),
        date=at(2021, 5, 12),
    ),
    SearchDocument(
        key="page:6",
        kind="article",
        title="科普进校园",
        url="/articles/science-in-schools/",
        body="科学家走进课堂，给孩子们讲火星探测的故事。",
        topics=("科普", "航天"),
        date=at(2024, 4, 20),
    ),
    SearchDocument(
        key="page:7",
        kind="article",
        title="<script>alert(1)</script> 网页安全小知识",
        url="/articles/web-safety/",
        body="不要点击来历不明的链接 & 不要泄露验证码。",
        topics=("科技",),
        date=None,
    ),
]

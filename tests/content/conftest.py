import pytest

from tests.factories.videos import make_clip


@pytest.fixture(scope="session")
def clips(tmp_path_factory):
    """Real clips, made once per session: a landscape 1080p one and a portrait phone one."""
    directory = tmp_path_factory.mktemp("clips")
    return {
        "landscape": make_clip(directory / "landscape.mp4", 1920, 1080, 3),
        "portrait": make_clip(directory / "portrait.mov", 1080, 1920, 2),
        "small": make_clip(directory / "small.mp4", 320, 240, 1, audio=False),
    }

"""Reading files back as a browser would, wherever they are stored (tests/conftest.py `s3`).

From the local disk Django answers a download itself; from object storage it answers with a
redirect to a presigned URL, which `fetch` follows with a real HTTP client, so a test asserts
the same status, headers and bytes on both.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from django.core.files.storage import Storage


@dataclass
class Fetched:
    status_code: int
    headers: Mapping[str, str]  # case-insensitive, as HTTP header names are
    content: bytes
    redirected_to: str = ""

    def __getitem__(self, name: str) -> str:
        return self.headers[name]


def fetch(client, url: str, **headers) -> Fetched:
    """GET `url` through the Django test client and, if the answer is a redirect to another
    host (a presigned object URL), GET that too, with the same request headers (Range). An
    absolute `url` (a public object in a bucket) is fetched with the HTTP client alone."""
    if urlsplit(url).netloc:
        answer = requests.get(url, headers=headers, timeout=30)
        return Fetched(answer.status_code, answer.headers, answer.content, url)
    meta = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()}
    response = client.get(url, **meta)
    location = response.get("Location", "") if response.status_code == 302 else ""
    if location and urlsplit(location).netloc:
        answer = requests.get(location, headers=headers, timeout=30)
        return Fetched(answer.status_code, answer.headers, answer.content, location)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return Fetched(response.status_code, response.headers, content)


def stored_names(storage: Storage, directory: str = "") -> set[str]:
    """Every file name in `storage` (local disk or bucket), through the storage API only."""
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        return set()
    names = {f"{directory}{name}" for name in files}
    for sub in directories:
        names |= stored_names(storage, f"{directory}{sub}/")
    return names

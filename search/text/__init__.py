"""The text core of search: pure Python, no Django, usable and testable without settings.

One pipeline for documents and queries alike, so every backend sees the same tokens and finds
the same documents:

- `normalise`: Traditional → Simplified (OpenCC), width and case; bigrams, characters,
  suggestion prefixes;
- `lexicon` and `segment`: the word lists (committed in `words/`, organisers' added by
  `search.dictionary`) and the jieba segmenter built from them (`Analyser`);
- `pinyin`: suggestion inputs and title pinyin (index time only: pypinyin is memory-hungry);
- `query`: what a typed query asks the backends to match (`analyse_query`);
- `ranking` and `passages`: the ranking rules every backend follows;
- `highlight`: highlighted titles and best-passage snippets;
- `document`: a document's title and body as every backend indexes them.

Nothing here imports Django (tests/search/test_text_purity.py checks it); the numbers come
from `search.constants`.
"""

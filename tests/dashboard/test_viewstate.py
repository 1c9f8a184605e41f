"""The URL state: round trips, validation, upgrades (no server needed)."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from viz.dashboard.viewstate import (
    BASEMAPS,
    COLOR_BY,
    MODES,
    PAGES,
    SIZE_BY,
    WINDOWS,
    Filters,
    Known,
    View,
    decode,
    encode,
    share_url,
)
from viz.events.schema import EVENT_TYPES, GEO_PRECISIONS

texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


vertex = st.tuples(st.floats(-180, 180).map(lambda x: round(x, 4)), st.floats(-90, 90).map(lambda x: round(x, 4)))
polygons = st.lists(vertex, min_size=3, max_size=12).map(tuple)


@st.composite
def views(draw):
    d1, d2 = sorted([draw(dates), draw(dates)])
    t1, t2 = sorted([draw(dates), draw(dates)])
    filters = Filters(
        actors=tuple(dict.fromkeys(draw(st.lists(texts.filter(bool), max_size=4)))),
        types=tuple(dict.fromkeys(draw(st.lists(st.sampled_from(EVENT_TYPES), max_size=3)))),
        countries=tuple(dict.fromkeys(draw(st.lists(st.sampled_from(["SY", "UA", "LY", "SD"]), max_size=3)))),
        precisions=tuple(dict.fromkeys(draw(st.lists(st.sampled_from(GEO_PRECISIONS), max_size=2)))),
        date_from=draw(st.none() | st.just(d1)),
        date_to=draw(st.none() | st.just(d2)),
        text=draw(texts),
        min_fatalities=draw(st.none() | st.integers(0, 10_000)),
        area=draw(st.none() | polygons),
    )
    return View(
        dataset=draw(st.none() | st.text(alphabet="0123456789abcdef", min_size=16, max_size=16)),
        filters=filters,
        time=draw(st.none() | st.just((t1, t2))),
        mode=draw(st.sampled_from(MODES)),
        window=draw(st.sampled_from(WINDOWS)),
        basemap=draw(st.sampled_from(BASEMAPS)),
        color=draw(st.sampled_from(COLOR_BY)),
        size=draw(st.sampled_from(SIZE_BY)),
        center=draw(
            st.none()
            | st.tuples(st.floats(-90, 90).map(lambda x: round(x, 5)), st.floats(-180, 180).map(lambda x: round(x, 5)))
        ),
        zoom=draw(st.none() | st.floats(0, 20).map(lambda x: round(x, 3))),
        event=draw(st.none() | st.text(alphabet="0123456789abcdef~", min_size=1, max_size=20)),
        place_query=draw(texts),
        place_country=draw(st.sampled_from(["", "LB", "SY"])),
        place_context=draw(texts),
        page=draw(st.sampled_from(PAGES)),
    )


@given(views())
def test_round_trip(view):
    params = encode(view)
    back, notices = decode(params)
    assert notices == []
    assert back == view


@given(
    st.dictionaries(
        st.sampled_from(
            [
                "v",
                "ds",
                "actor",
                "type",
                "cc",
                "from",
                "to",
                "q",
                "minf",
                "t0",
                "t1",
                "mode",
                "color",
                "size",
                "lat",
                "lon",
                "z",
                "ev",
                "start",
                "types",
                "junk",
            ]
        ),
        st.lists(texts, max_size=3),
    )
)
def test_any_parameters_decode_without_error(params):
    view, notices = decode(params)
    assert isinstance(view, View)
    # whatever came in, what goes out encodes and decodes to itself
    assert decode(encode(view))[0] == view


def test_bad_and_stale_parameters_fall_back_with_notices():
    known = Known(actors=frozenset({"Russia", "Turkey"}), datasets=frozenset({"0123456789abcdef"}))
    view, notices = decode(
        {
            "v": ["2"],
            "actor": ["Russia", "Atlantis"],
            "from": ["2020-13-45"],
            "ds": ["/etc/passwd"],
            "mode": ["hologram"],
            "lat": ["95"],
            "lon": ["10"],
            "minf": ["-3"],
            "type": ["battle", "picnic"],
        },
        known,
    )
    assert view.filters.actors == ("Russia",) and view.filters.types == ("battle",)
    assert view.filters.date_from is None and view.dataset is None and view.mode == "points"
    assert view.center is None and view.filters.min_fatalities is None
    joined = " | ".join(notices)
    for word in ("Atlantis", "not a date", "dataset id", "hologram", "globe", "minf", "picnic"):
        assert word in joined, word
    view, notices = decode({"ds": ["fedcba9876543210"]}, known)
    assert view.dataset is None and "not in the local store" in notices[0]


def test_a_reversed_time_range_is_read_the_right_way_round_and_said():
    view, notices = decode({"v": ["2"], "t0": ["2022-05-01"], "t1": ["2020-01-01"]})
    assert view.time == (date(2020, 1, 1), date(2022, 5, 1))
    assert notices == ["'t0' is after 't1'; the range read as 2020-01-01 to 2022-05-01"]
    assert decode({"v": ["2"], "t0": ["2020-01-01"], "t1": ["2022-05-01"]})[1] == []


def test_version_1_links_are_upgraded():
    # the first release's geocoder links: ?q=Tripoli&cc=LB&ctx=Beirut
    view, notices = decode({"q": ["Tripoli"], "cc": ["LB"], "ctx": ["Beirut"]})
    assert (view.place_query, view.place_country, view.place_context) == ("Tripoli", "LB", "Beirut")
    assert view.filters.text == "" and view.filters.countries == () and view.page == "geocoder"
    assert notices == ["link of format version 1 (the geocoder page) upgraded"]
    # the same names in a version 2 link are event filters
    view, notices = decode({"v": ["2"], "q": ["kerch"], "cc": ["UA"]})
    assert view.filters.text == "kerch" and view.filters.countries == ("UA",) and notices == []


def test_untrusted_text_is_bounded_and_shown_quoted():
    evil = "<script>alert(1)</script>" * 20
    view, notices = decode({"v": ["2"], "q": [evil], "mode": [evil]})
    assert len(view.filters.text) == 200
    assert all("<script>" not in n or "'" in n for n in notices)


def test_area_and_play_window_in_links():
    view = View(filters=Filters(area=((35.5, 34.0), (37.25, 34.0), (37.0, 36.5))), mode="play", window=90)
    params = encode(view)
    assert params["area"] == ["35.5 34,37.25 34,37 36.5"] and params["win"] == ["90"]
    assert decode(params)[0] == view
    url = share_url("http://127.0.0.1:8501/?old=1#x", view)
    assert url.startswith("http://127.0.0.1:8501/?v=2&") and "old=" not in url and "#" not in url
    assert "area=35.5%2034,37.25%2034,37%2036.5" in url
    assert share_url(None, View()) == "?v=2"


def test_bad_area_window_and_basemap_fall_back_with_notices():
    for params in (
        {"area": ["1 2,3"]},
        {"area": ["1 2,3 4"]},
        {"area": ["500 1,2 3,4 5"]},
        {"win": ["13"]},
        {"bm": ["x"]},
    ):
        view, notices = decode(params)
        assert len(notices) == 1, params
        assert view.filters.area is None and view.window == 30 and view.basemap == "offline"


@given(
    st.sampled_from(["win", "z", "lat", "lon", "minf", "from", "to", "t0", "t1", "ev", "page", "mode"]),
    st.one_of(
        st.sampled_from(["9" * 5000, "1e400", "nan", "-inf", "0001-01-01", "9999-12-31", "", "<b>x</b>"]),
        st.text(max_size=30),
    ),
)
def test_any_single_hostile_parameter_decodes_with_at_most_a_notice(key, value):
    view, notices = decode({"v": ["2"], key: [value]})
    assert decode(encode(view))[0] == view  # what it fell back to is itself a valid view

from datetime import date

import pandas as pd
import pytest

from viz.dashboard import filters
from viz.dashboard.viewstate import Filters
from viz.events.ingest import load


@pytest.fixture(scope="module")
def demo(geocoder):
    from viz.dashboard.appdata import DEMO_DIR

    frame, _ = load([DEMO_DIR], geocoder=geocoder)
    return frame


def test_no_filter_keeps_all(demo):
    assert len(filters.apply(demo, Filters())) == len(demo)


def test_each_filter(demo):
    f = filters.apply(demo, Filters(actors=("Wagner Group",)))
    assert len(f) >= 3 and f["actors"].str.contains("Wagner Group").all()
    f = filters.apply(demo, Filters(types=("protest",), countries=("RU",)))
    assert len(f) >= 2 and set(f["event_type"].astype(str)) == {"protest"} and set(f["country_code"]) == {"RU"}
    f = filters.apply(demo, Filters(date_from=date(2022, 2, 24), date_to=date(2022, 2, 28)))
    assert len(f) > 5 and f["date"].between(pd.Timestamp("2022-02-24"), pd.Timestamp("2022-02-28")).all()
    f = filters.apply(demo, Filters(min_fatalities=100))
    assert len(f) >= 10 and (f["fatalities"] >= 100).all()
    f = filters.apply(demo, Filters(text="kerch BRIDGE"))
    assert len(f) == 2
    f = filters.apply(demo, Filters(precisions=("city",)))
    assert set(f["geo_precision"].astype(str)) == {"city"}


def test_timeline_range_and_filters_combine(demo):
    both = filters.apply(demo, Filters(countries=("UA",)), time=(date(2023, 1, 1), date(2023, 12, 31)))
    assert len(both) > 5 and set(both["country_code"]) == {"UA"} and (both["date"].dt.year == 2023).all()


def test_episodes_count_while_they_last():
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2023-04-15", "2023-05-01"]),
            "date_end": pd.to_datetime(["2023-04-30", None]),
            "actors": ["A", "B"],
            "event_type": ["battle", "battle"],
            "country_code": ["SD", "SD"],
            "geo_precision": ["city", "city"],
            "fatalities": pd.array([None, 3], dtype="Int64"),
            "text": ["x", "y"],
            "place": ["p", "q"],
            "place_name": ["p", "q"],
        }
    )
    f = filters.apply(frame, Filters(date_from=date(2023, 4, 20), date_to=date(2023, 4, 25)))
    assert list(f["actors"]) == ["A"]
    assert list(filters.apply(frame, Filters(min_fatalities=1))["actors"]) == ["B"]


def test_exports_lose_nothing(demo):
    import io
    import json

    from viz.dashboard import export

    part = filters.apply(demo, Filters(countries=("SY",)))
    gj = json.loads(export.geojson_bytes(part))
    assert len(gj["features"]) == len(part)
    assert sum(f["geometry"] is None for f in gj["features"]) == int(part["lat"].isna().sum())
    assert all(f["properties"]["country_code"] == "SY" for f in gj["features"])
    back = pd.read_csv(io.BytesIO(export.to_csv(part)))
    assert len(back) == len(part) and list(back.columns) == list(part.columns)

"""Pictures and films of a view: the caption, and a link rendered through the
CLI to MP4, GIF, PNG and SVG by the real Kaleido driving Debian's Chromium,
each file opened and its frames, size and caption checked."""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd
import pytest

from tests.browser import require_chromium
from viz import cli
from viz.dashboard import animate, appdata, render
from viz.dashboard.viewstate import Filters, View


def test_the_caption_names_the_dataset_the_filters_and_the_dates():
    view = View(dataset="04d2cbdea7303397", filters=Filters(countries=("SY", "IQ"), text="idlib"), mode="play")
    text = render.caption(view, events=12, first=pd.Timestamp("2020-01-01"), last=pd.Timestamp("2020-03-01"))
    assert text == "dataset 04d2cbdea7303397 · cc=SY,IQ; q=idlib · 2020-01-01 to 2020-03-01 · 12 events"
    assert "no filters" in render.caption(View(dataset="x"), events=0)


def test_a_film_needs_located_dated_events_and_a_known_format(tmp_path):
    empty = pd.DataFrame(columns=["event_id", "date", "date_end", "lat", "lon", "event_type", "fatalities"])
    with pytest.raises(render.RenderError, match="nothing to play"):
        render.story_figures(empty, View(mode="play"), "x")
    with pytest.raises(render.RenderError, match=r"\.mp4, \.gif, \.png or \.svg"):
        render.from_link("http://h/?v=2", tmp_path / "x.avi")


def rendered(url: str, out, *extra: str) -> str:
    """``python -m viz render URL --out OUT`` at 640x360; its output, once it has exited 0."""
    o, e = io.StringIO(), io.StringIO()
    code = cli.main(["render", url, "--out", str(out), "--width", "640", "--height", "360", *extra], o, e)
    assert code == 0, e.getvalue()
    return o.getvalue()


@pytest.fixture(scope="module")
def libya_frames():
    """How many frames the view's playback has, by the app's own rule."""
    from viz.dashboard.query import Events  # noqa: F401 - the store opens it
    from viz.events.corrections import Corrections
    from viz.events.store import DatasetStore

    store = DatasetStore()
    ds = appdata.default_dataset(store, [])
    events, _ = appdata.open_dataset(store, ds, Corrections())
    points = events.points(events.where(Filters(countries=("LY",))), 200_000)
    return animate.play_data(points, window_days=365)["frames"], ds


@pytest.mark.browser
def test_a_link_rendered_to_mp4_and_gif_has_every_frame_with_its_caption(tmp_path, libya_frames):
    import imageio.v2 as imageio
    from PIL import Image

    require_chromium()
    frames, ds = libya_frames
    url = "http://127.0.0.1:8501/?v=2&cc=LY&mode=play&win=365"
    out = rendered(url, tmp_path / "libya.mp4")
    assert f"dataset {ds} · cc=LY" in out
    video = [f for f in imageio.get_reader(tmp_path / "libya.mp4")]
    assert len(video) == frames > 1 and video[0].shape == (360, 640, 3)
    for f in video:
        assert (f[-28:, :300] < 120).any()  # the caption's ink along the foot of every frame
        assert (f[:30, :300] < 120).any()  # the window's dates at the top
    assert not np.array_equal(video[0], video[-1])  # the window moved
    rendered(url, tmp_path / "libya.gif")
    gif = Image.open(tmp_path / "libya.gif")
    assert gif.n_frames == frames and gif.size == (640, 360)
    assert (tmp_path / "libya.gif").stat().st_size <= 10 * 2**20


@pytest.mark.browser
def test_a_link_rendered_to_png_and_svg_carries_its_caption(tmp_path, libya_frames):
    from PIL import Image

    require_chromium()
    _, ds = libya_frames
    url = "http://127.0.0.1:8501/?v=2&cc=LY&lat=28&lon=17&z=3"
    rendered(url, tmp_path / "map.png")
    png = np.asarray(Image.open(tmp_path / "map.png").convert("L"))
    assert png.shape == (360, 640) and (png[-28:, :300] < 120).any()  # the caption's ink along its foot
    rendered(url, tmp_path / "map.svg")
    svg = (tmp_path / "map.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and f"dataset {ds}" in svg and "cc=LY" in svg
    assert re.search(r"Tripoli|LIBYA", svg)  # the labels are drawn too
    rendered(url, tmp_path / "timeline.svg", "--timeline")
    timeline = (tmp_path / "timeline.svg").read_text(encoding="utf-8")
    assert "cc=LY" in timeline and "events per" in timeline and "LIBYA" not in timeline

// The events map (and the timeline, and the other maps of the app: one
// plotly.js for the page): plotly.js served by the app itself
// (static/plotly.min.js), drawn with Plotly.react and a constant
// layout.uirevision, so a redraw with new data keeps the user's zoom and pan.
// It reports back to Python:
//   state "view"     {lat, lon, zoom}       the frame the user left the map at (debounced)
//   trigger "select" {points: [[lon, lat]]} what a box or lasso caught
//   trigger "click"  {lon, lat, id, location}  a point, cell or country clicked
//   trigger "pick"   {lon, lat}             where on the map a click fell (data.pick: the review page)
//   trigger "brush"  {x: [from, to]}        the range a box selected on a chart of time (the timeline)
// and, in play mode, steps a time window through the events it was given
// (see viz/dashboard/animate.py for the frames' rule), with a cursor drawn
// over the timeline chart.  Nothing here loads anything from another host.

// Two builds of plotly.js, both served by the app: the dashboard's own
// (plotly-viz.min.js: scatter, bar, scattergeo, choropleth; made by `make` from
// js/plotly-bundle, a third of the size, so a first visit evaluates it in a
// fraction of the time) and the plotly wheel's full one, for any other trace
// (the opt-in tile basemap) or when the own build is not there.
const BUNDLES = { partial: "./app/static/plotly-viz.min.js", full: "./app/static/plotly.min.js" };
const WORLD_OUTLINE = "./app/static/topojson/world_110m.json"; // what a world map draws first
const PARTIAL_TYPES = new Set(["scatter", "bar", "scattergeo", "choropleth"]);
const DEBOUNCE_MS = 350;
const DAY_MS = 86400000;

function loadBundle(kind) {
  const loads = (window.__vizPlotly = window.__vizPlotly || {});
  if (!loads[kind]) {
    loads[kind] = new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = BUNDLES[kind];
      s.onload = () => resolve(window.Plotly); // the build this script just defined
      s.onerror = () => {
        loads[kind] = null;
        reject(new Error("plotly.js could not be loaded from " + BUNDLES[kind]));
      };
      document.head.appendChild(s);
    });
    if (kind === "full") loads.full.then(() => (window.__vizFull = true), () => {});
  }
  return loads[kind];
}

// The build to draw `fig` with: once the full one is on the page it draws
// everything, so the page's plots share one Plotly.
function loadPlotly(bundle, fig) {
  const others = fig && (fig.data || []).some((t) => !PARTIAL_TYPES.has(t.type || "scatter"));
  return loadBundle(bundle === "partial" && !others && !window.__vizFull ? "partial" : "full");
}

function isDark() {
  const bg = getComputedStyle(document.body).backgroundColor || "";
  const m = bg.match(/\d+(\.\d+)?/g);
  if (!m || m.length < 3) return false;
  const [r, g, b] = m.slice(0, 3).map(Number);
  return 0.299 * r + 0.587 * g + 0.114 * b < 100;
}

// The basemap's colours for a dark page (the light ones are the figure's own).
function darken(layout) {
  const geo = layout.geo;
  layout.paper_bgcolor = "rgba(0,0,0,0)";
  layout.plot_bgcolor = "rgba(0,0,0,0)";
  for (const ax of ["xaxis", "yaxis"]) {
    layout[ax] = Object.assign({}, layout[ax], { gridcolor: "#3a3f47", zerolinecolor: "#4b5059", linecolor: "#4b5059" });
  }
  layout.font = Object.assign({}, layout.font, { color: "#e6e6e6" });
  if (layout.legend) layout.legend.bgcolor = "rgba(20,22,28,0.8)";
  if (geo) {
    Object.assign(geo, {
      bgcolor: "rgba(0,0,0,0)",
      landcolor: "#2b2f36",
      oceancolor: "#161a21",
      countrycolor: "#6b7280",
      coastlinecolor: "#6b7280",
      lakecolor: "#161a21",
    });
  }
}

function frameOf(gd) {
  const fl = gd._fullLayout || {};
  if (fl.geo && fl.geo.projection) {
    const g = fl.geo;
    const rot = g.projection.rotation || {};
    const lon = g.center && g.center.lon != null ? g.center.lon : rot.lon;
    return { lat: g.center.lat, lon: lon, zoom: Math.log2(g.projection.scale || 1) };
  }
  if (fl.map && fl.map.center) return { lat: fl.map.center.lat, lon: fl.map.center.lon, zoom: fl.map.zoom };
  return null;
}

function round(x, d) {
  const k = Math.pow(10, d);
  return Math.round(x * k) / k;
}

function sameFrame(a, b) {
  return (
    a && b && Math.abs(a.lat - b.lat) < 1e-3 && Math.abs(a.lon - b.lon) < 1e-3 && Math.abs(a.zoom - b.zoom) < 1e-3
  );
}

// ---------------------------------------------------------------- playback
function fmtDay(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

function playFrame(play, k) {
  // events overlapping [start + k*step, start + k*step + window) (days since 1970)
  const a = play.start + k * play.step;
  const b = a + play.window;
  const idx = [];
  for (let i = 0; i < play.t0.length; i++) if (play.t1[i] >= a && play.t0[i] < b) idx.push(i);
  return { a, b, idx };
}

function cursorOver(box, play, st) {
  // a band over the timeline chart (another element of the page) where the window is
  const tl = document.querySelector(".st-key-timeline .js-plotly-plot");
  let band = document.getElementById("viz-play-cursor");
  if (!tl || !tl._fullLayout || !tl._fullLayout.xaxis || st === null) {
    if (band) band.remove();
    return;
  }
  const ax = tl._fullLayout.xaxis;
  const r0 = new Date(ax.range[0]).getTime();
  const r1 = new Date(ax.range[1]).getTime();
  if (!(r1 > r0)) return;
  const host = tl.parentElement;
  if (getComputedStyle(host).position === "static") host.style.position = "relative";
  if (!band || band.parentElement !== host) {
    if (band) band.remove();
    band = document.createElement("div");
    band.id = "viz-play-cursor";
    band.style.cssText =
      "position:absolute;pointer-events:none;background:rgba(255,140,0,0.25);border-left:2px solid #ff8c00;" +
      "border-right:2px solid #ff8c00;z-index:5";
    host.appendChild(band);
  }
  const x = (t) => ax._offset + ((t - r0) / (r1 - r0)) * ax._length;
  const ya = tl._fullLayout.yaxis;
  const left = Math.max(ax._offset, x(st.a * DAY_MS));
  const right = Math.min(ax._offset + ax._length, x(st.b * DAY_MS));
  band.style.left = left + "px";
  band.style.width = Math.max(2, right - left) + "px";
  band.style.top = (ya ? ya._offset : 0) + "px";
  band.style.height = (ya ? ya._length : tl.clientHeight) + "px";
  band.dataset.from = fmtDay(st.a * DAY_MS);
}

function setupPlay(root, gd, Plotly, play) {
  const bar = root.querySelector(".viz-play");
  const frames = play.frames;
  const old = root.__play;
  if (old && old.key === play.key) return old.show(old.k); // a rerun with the same events: stay on the frame
  if (old && old.timer) clearInterval(old.timer);
  const state = { k: 0, timer: null, seen: new Set(), frames, key: play.key };
  root.__play = state;
  bar.hidden = false;
  bar.innerHTML = "";
  const btn = document.createElement("button");
  btn.className = "viz-play-btn";
  btn.type = "button";
  btn.textContent = "▶ Play";
  const speed = document.createElement("select");
  speed.className = "viz-play-speed";
  speed.title = "Speed";
  for (const s of [0.5, 1, 2, 4, 8, 16]) {
    const o = document.createElement("option");
    o.value = String(s);
    o.textContent = s + "×";
    if (s === 1) o.selected = true;
    speed.appendChild(o);
  }
  const slider = document.createElement("input");
  slider.type = "range";
  slider.min = "0";
  slider.max = String(frames - 1);
  slider.value = "0";
  slider.className = "viz-play-slider";
  const label = document.createElement("span");
  label.className = "viz-play-label";
  bar.append(btn, speed, slider, label);

  const show = (k) => {
    state.k = k;
    const f = playFrame(play, k);
    f.idx.forEach((i) => state.seen.add(i));
    const pick = (arr) => f.idx.map((i) => arr[i]);
    Plotly.restyle(
      gd,
      {
        lat: [pick(play.lat)],
        lon: [pick(play.lon)],
        hovertext: [pick(play.hover)],
        customdata: [pick(play.ids)],
        "marker.color": [pick(play.color)],
        "marker.size": [pick(play.size)],
      },
      [0]
    );
    slider.value = String(k);
    label.textContent =
      `${play.window}-day window: ${fmtDay(f.a * DAY_MS)} – ${fmtDay((f.b - 1) * DAY_MS)} · ${f.idx.length} events` +
      ` · frame ${k + 1} of ${frames}`;
    root.dataset.frame = String(k);
    root.dataset.frames = String(frames);
    root.dataset.seen = String(state.seen.size);
    cursorOver(root, play, f);
  };
  const stop = () => {
    if (state.timer) clearInterval(state.timer);
    state.timer = null;
    btn.textContent = "▶ Play";
  };
  const start = () => {
    stop();
    if (state.k >= frames - 1) show(0);
    btn.textContent = "❚❚ Pause";
    state.timer = setInterval(() => {
      if (state.k >= frames - 1) return stop();
      show(state.k + 1);
    }, play.frame_ms / Number(speed.value));
  };
  btn.onclick = () => (state.timer ? stop() : start());
  speed.onchange = () => state.timer && start();
  state.show = show;
  slider.oninput = () => {
    stop();
    show(Number(slider.value));
  };
  show(0);
}

// ---------------------------------------------------------------- component
export default function (component) {
  const { data, setStateValue, setTriggerValue, parentElement } = component;
  if (data && data.preload) {
    // mounted first on the page: plotly.js and the world outline load while the
    // server still builds the rest (plotly.js takes an outline already in
    // PlotlyGeoAssets instead of fetching it when it draws)
    loadPlotly(data.bundle, null).catch(() => {});
    const geo = (window.PlotlyGeoAssets = window.PlotlyGeoAssets || { topojson: {} });
    fetch(WORLD_OUTLINE)
      .then((r) => (r.ok ? r.json() : null))
      .then((t) => {
        if (t && !geo.topojson.world_110m) geo.topojson.world_110m = t;
      })
      .catch(() => {});
    return;
  }
  let root = parentElement.querySelector(".viz-map");
  if (!root) {
    root = document.createElement("div");
    root.className = "viz-map";
    root.innerHTML = '<div class="viz-map-plot"></div><div class="viz-play" hidden></div>';
    parentElement.appendChild(root);
  }
  const gd = root.querySelector(".viz-map-plot");
  root.__send = { setStateValue, setTriggerValue };
  if (!data || !data.figure) return;
  // a rerun that sends the very figure drawn already (another part of the page
  // changed) leaves the map alone: no redraw under the user's pointer
  const drawnKey = [data.figure, data.revision, data.kind, data.height, !!data.pick, isDark(), JSON.stringify(data.config || {})].join("\u0001");
  if (!data.play && root.__drawnKey === drawnKey && gd._fullLayout) return undefined;
  root.__drawnKey = null;
  const fig = JSON.parse(data.figure);
  const layout = fig.layout || {};
  layout.uirevision = data.revision;
  if (data.kind === "chart") {
    layout.height = data.height;
  } else {
    const width = root.clientWidth || parentElement.clientWidth || 800;
    layout.height = mapHeight(width, data.height, layout.showlegend !== false);
  }
  root.__size = { chart: data.kind === "chart", most: data.height, legend: layout.showlegend !== false };
  layout.autosize = true;
  if (isDark()) darken(layout);
  const drawnBefore = root.__revision === data.revision && gd._fullLayout && gd._fullLayout.geo && layout.geo;
  if (drawnBefore && layout.geo.fitbounds) {
    // same map, new data: keep the frame the user sees instead of fitting again
    const g = gd._fullLayout.geo;
    layout.geo.fitbounds = false;
    layout.geo.center = { lat: g.center.lat, lon: g.center.lon };
    layout.geo.projection = Object.assign({}, layout.geo.projection, {
      scale: g.projection.scale,
      rotation: Object.assign({}, g.projection.rotation),
    });
  }
  root.__revision = data.revision;
  const config = Object.assign({ responsive: true }, data.config || {});
  loadPlotly(data.bundle, fig)
    .then((Plotly) => {
      if (root.__plotly && root.__plotly !== Plotly) {
        // drawn before by the other build: handed over whole (its events wired again)
        root.__plotly.purge(gd);
        root.__wired = false;
      }
      root.__plotly = Plotly;
      root.__drawing = true;
      return Plotly.react(gd, fig.data || [], layout, config).then(() => {
        root.__drawing = false;
        root.dataset.drawn = String(Number(root.dataset.drawn || 0) + 1);
        root.__drawnKey = drawnKey;
        if (!root.__wired) wire(root, gd, Plotly);
        fitWidth(root, gd, Plotly); // the width may have changed while it was drawn
        if (data.tell_drawn && !root.__toldDrawn) {
          // once per mount: the page sends what it holds back until the map is drawn
          root.__toldDrawn = true;
          root.__send.setTriggerValue("drawn", true);
        }
        root.__pick = !!data.pick;
        root.__reportsView = data.kind !== "chart";
        root.__frame = frameOf(gd);
        if (data.play) setupPlay(root, gd, Plotly, data.play);
        else {
          root.querySelector(".viz-play").hidden = true;
          if (root.__play && root.__play.timer) clearInterval(root.__play.timer);
          root.__play = null;
          cursorOver(root, null, null);
        }
      });
    })
    .catch((err) => {
      gd.textContent = "The map could not be drawn: " + err.message;
    });
  return () => {
    if (root.__play && root.__play.timer) clearInterval(root.__play.timer);
  };
}

// a world map is about 2:1: its height follows the width it is given
function mapHeight(width, most, legend) {
  return Math.round(Math.min(Math.max(width * 0.52, 240), most)) + (legend ? 64 : 0);
}

// Drawn to the width its place on the page has now, and again whenever that
// width changes: plotly's own "responsive" follows the window alone, and a
// column laid out after the first draw (or a sidebar opened) would leave the
// map at its first width, over the timeline beside it.
function fitWidth(root, gd, Plotly) {
  const fl = gd._fullLayout;
  const width = root.clientWidth;
  if (!fl || !width || root.__drawing) return;
  const size = root.__size || { chart: true };
  const height = size.chart ? null : mapHeight(width, size.most, size.legend);
  if (Math.abs(fl.width - width) < 2 && (height === null || Math.abs(fl.height - height) < 2)) return;
  const update = height === null ? { width } : { width, height };
  root.__drawing = true; // a change of size, not a move the user made
  Plotly.relayout(gd, update).finally(() => {
    root.__drawing = false;
    root.__frame = frameOf(gd); // the frame refitted to the new size is not sent to the link
  });
}

function followWidth(root, gd, Plotly) {
  if (typeof ResizeObserver === "undefined") return;
  let timer = null;
  new ResizeObserver(() => {
    clearTimeout(timer);
    timer = setTimeout(() => fitWidth(root, gd, Plotly), 60);
  }).observe(root);
}

function wire(root, gd, Plotly) {
  root.__wired = true;
  followWidth(root, gd, Plotly);
  let timer = null;
  gd.on("plotly_relayout", () => {
    if (root.__drawing || !root.__reportsView) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      const f = frameOf(gd);
      if (!f || sameFrame(f, root.__frame)) return;
      root.__frame = f;
      const fl = gd._fullLayout;
      if (fl.geo && fl.geo.resolution === 110 && f.zoom >= 2) {
        Plotly.relayout(gd, { "geo.resolution": 50 }); // the finer outline once zoomed in
      }
      root.__send.setStateValue("view", { lat: round(f.lat, 4), lon: round(f.lon, 4), zoom: round(f.zoom, 3) });
    }, DEBOUNCE_MS);
  });
  gd.on("plotly_selected", (ev) => {
    if (ev && ev.range && ev.range.x && !(gd._fullLayout && gd._fullLayout.geo)) {
      root.__send.setTriggerValue("brush", { x: ev.range.x.map(String) });
      return;
    }
    if (!ev || !ev.points || !ev.points.length) return;
    const points = ev.points
      .filter((p) => typeof p.lon === "number" && typeof p.lat === "number")
      .map((p) => [p.lon, p.lat]);
    if (points.length) root.__send.setTriggerValue("select", { points });
  });
  gd.addEventListener("click", (ev) => {
    // a click anywhere on the globe, as lon/lat (the projection plotly drew with, inverted)
    if (!root.__pick) return;
    const sp = gd._fullLayout && gd._fullLayout.geo && gd._fullLayout.geo._subplot;
    const svg = gd.querySelector(".main-svg");
    if (!sp || !sp.projection || !svg) return;
    const r = svg.getBoundingClientRect();
    const ll = sp.projection.invert([ev.clientX - r.left, ev.clientY - r.top]);
    if (!ll || !isFinite(ll[0]) || !isFinite(ll[1]) || Math.abs(ll[1]) > 90) return;
    root.__send.setTriggerValue("pick", { lon: round(ll[0], 5), lat: round(ll[1], 5) });
  });
  gd.on("plotly_click", (ev) => {
    const p = ev && ev.points && ev.points[0];
    if (!p) return;
    let id = p.customdata;
    if (Array.isArray(id)) id = id[0];
    root.__send.setTriggerValue("click", {
      lon: typeof p.lon === "number" ? p.lon : null,
      lat: typeof p.lat === "number" ? p.lat : null,
      id: id == null ? null : String(id),
      location: p.location == null ? null : String(p.location),
      trace: p.data && p.data.name ? String(p.data.name) : null,
    });
  });
}

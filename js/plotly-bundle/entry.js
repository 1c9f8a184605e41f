// The traces the dashboard draws with its offline basemap, registered on
// plotly.js's core (as plotly.js's own partial bundles are made).  A figure
// with any other trace (the opt-in tile basemap's scattermap) is drawn by the
// full plotly.min.js of the plotly wheel instead: see viz/dashboard/mapcomponent.js.
var Plotly = require("plotly.js/lib/core");

Plotly.register([
  require("plotly.js/lib/bar"),
  require("plotly.js/lib/scattergeo"),
  require("plotly.js/lib/choropleth"),
]);

module.exports = Plotly;

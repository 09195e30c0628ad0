// Draws every chart on the page from the figure JSON the server put in a json_script tag.
// Map outlines come from our own static files (topojsonURL), never from a CDN.
(function () {
  "use strict";
  var config = document.getElementById("chart-config");
  var topojsonURL = config ? config.dataset.topojsonUrl : undefined;
  document.querySelectorAll("[data-figure]").forEach(function (target) {
    var source = document.getElementById(target.dataset.figure);
    if (!source || !window.Plotly) {
      return;
    }
    var figure = JSON.parse(source.textContent);
    window.Plotly.newPlot(target, figure.data, figure.layout, {
      responsive: true,
      displaylogo: false,
      topojsonURL: topojsonURL,
    });
  });
})();

// Draws each chart from the figure JSON the server put in a json_script tag, when the
// chart first comes near the viewport. plotly.js, by far the largest file on the site,
// is fetched only then: it never delays the first paint, and a reader who never scrolls
// to a chart never downloads it. Each chart has a data table below it either way.
// Map outlines come from our own static files (topojsonURL), never from a CDN.
(function () {
  "use strict";
  var config = document.getElementById("chart-config");
  if (!config) {
    return;
  }
  var plotly = null;

  function loadPlotly() {
    if (!plotly) {
      plotly = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = config.dataset.plotlyUrl;
        script.onload = resolve;
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return plotly;
  }

  function draw(target) {
    var source = document.getElementById(target.dataset.figure);
    if (!source) {
      return;
    }
    loadPlotly().then(function () {
      // One task per chart, so the main thread is never blocked for all of them at once.
      setTimeout(function () {
        var figure = JSON.parse(source.textContent);
        window.Plotly.newPlot(target, figure.data, figure.layout, {
          responsive: true,
          displaylogo: false,
          topojsonURL: config.dataset.topojsonUrl,
        });
      }, 0);
    });
  }

  var targets = document.querySelectorAll("[data-figure]");
  if (!("IntersectionObserver" in window)) {
    targets.forEach(draw);
    return;
  }
  var observer = new IntersectionObserver(
    function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          draw(entry.target);
        }
      });
    },
    { rootMargin: "200px 0px" }
  );
  targets.forEach(function (target) {
    observer.observe(target);
  });
})();

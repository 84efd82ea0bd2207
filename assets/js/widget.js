// A widget: draw the chart (light or dark), and tell the host page how tall it is.
(function () {
  "use strict";
  var payload = JSON.parse(document.getElementById("w-payload").textContent);
  var root = document.documentElement;
  var dark = root.getAttribute("data-theme") === "auto" && payload.dark &&
    window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  var figure = dark ? payload.dark : payload.figure;
  var chart = document.getElementById("w-chart");

  function reportHeight() {
    if (window.parent === window) { return; }
    window.parent.postMessage({type: "arras-embed:height", height: Math.ceil(root.scrollHeight)}, "*");
  }

  window.Plotly.newPlot(chart, figure.data, figure.layout, payload.config).then(reportHeight);
  if (window.ResizeObserver) { new ResizeObserver(reportHeight).observe(document.body); }
  window.addEventListener("load", reportHeight);
  reportHeight();
})();

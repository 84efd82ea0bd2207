// A widget: its chart is first an image drawn by the server (no script to run on load); plotly.js
// is loaded and draws the interactive chart when the reader reaches for it (pointer, touch, keyboard).
// The widget tells the host page how tall it is, whenever that changes.
(function () {
  "use strict";
  var root = document.documentElement;
  var chart = document.getElementById("w-chart");
  var plotlySrc = document.currentScript && document.currentScript.getAttribute("data-plotly");
  var started = false;

  function reportHeight() {
    if (window.parent === window) { return; }
    window.parent.postMessage({type: "arras-embed:height", height: Math.ceil(root.scrollHeight)}, "*");
  }

  function draw() {
    var payload = JSON.parse(document.getElementById("w-payload").textContent);
    var dark = root.getAttribute("data-theme") === "auto" && payload.dark &&
      window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
    var figure = dark ? payload.dark : payload.figure;
    var image = document.getElementById("w-static");
    window.Plotly.newPlot(chart, figure.data, figure.layout, payload.config).then(function () {
      if (image && image.parentNode) { image.parentNode.removeChild(image); }
      chart.classList.add("w-live");
      reportHeight();
    });
  }

  function start() {
    if (started) { return; }
    started = true;
    if (window.Plotly) { draw(); return; }
    var script = document.createElement("script");
    script.src = plotlySrc;
    script.onload = draw;
    document.head.appendChild(script);
  }

  ["pointerenter", "touchstart", "focusin", "click"].forEach(function (name) {
    chart.addEventListener(name, start, {passive: true, once: true});
  });
  // No image from the server (no browser there to draw it): draw the interactive chart at once.
  var image = document.getElementById("w-static");
  if (image) {
    image.addEventListener("error", start);
    if (image.complete && image.naturalWidth === 0 && image.getAttribute("src")) { start(); }
  }
  // A dark page asked for by the reader's device: the server's image is light, draw at once.
  if (root.getAttribute("data-theme") === "auto" && window.matchMedia &&
      window.matchMedia("(prefers-color-scheme: dark)").matches) { start(); }
  // The host page's embed.js asks when it arrives after the widget has reported.
  window.addEventListener("message", function (event) {
    if (event.source === window.parent && event.data && event.data.type === "arras-embed:ask") { reportHeight(); }
  });
  if (window.ResizeObserver) { new ResizeObserver(reportHeight).observe(document.body); }
  window.addEventListener("load", reportHeight);
  reportHeight();
})();

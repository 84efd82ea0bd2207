// A widget: its chart is first an image drawn by the server (no script to run on load); plotly.js
// is loaded and draws the interactive chart when the reader reaches for it (pointer, touch, keyboard).
// The widget tells the host page how tall its content is, whenever that changes: taller or shorter.
(function () {
  "use strict";
  var root = document.documentElement;
  var content = document.querySelector("main.widget");
  var chart = document.getElementById("w-chart");
  var plotlySrc = document.currentScript && document.currentScript.getAttribute("data-plotly");
  var started = false;
  var reported = -1;

  // The content's bottom edge, not the document's scrollHeight: that one is at least the frame's own
  // height, so a frame started too tall would never shrink.
  function contentHeight() {
    var margin = parseFloat(window.getComputedStyle(content).marginBottom) || 0;
    return Math.ceil(content.getBoundingClientRect().bottom + window.scrollY + margin);
  }

  function reportHeight(force) {
    if (window.parent === window) { return; }
    var height = contentHeight();
    if (height === reported && force !== true) { return; }
    reported = height;
    window.parent.postMessage({type: "arras-embed:height", height: height}, "*");
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
    if (event.source === window.parent && event.data && event.data.type === "arras-embed:ask") { reportHeight(true); }
  });
  if (window.ResizeObserver) { new ResizeObserver(function () { reportHeight(); }).observe(content); }
  window.addEventListener("load", reportHeight);
  reportHeight();
})();

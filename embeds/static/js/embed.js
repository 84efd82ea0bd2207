// Include once on a page that embeds charts of this site: each of the site's iframes takes the
// height its widget reports. Messages from any other origin, or from other frames, are ignored.
(function () {
  "use strict";
  if (window.__arrasEmbed) { return; }
  window.__arrasEmbed = true;
  var script = document.currentScript;
  var origin = new URL(script ? script.src : window.location.href).origin;

  // Widgets that reported their height before this script ran are asked again.
  function ask() {
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++) {
      var src = frames[i].getAttribute("src") || "";
      if (src.indexOf(origin + "/embed/") === 0 && frames[i].contentWindow) {
        // Carries no data; "*" because a frame still loading has not got the site's origin yet.
        frames[i].contentWindow.postMessage({type: "arras-embed:ask"}, "*");
      }
    }
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== origin) { return; }
    var data = event.data;
    if (!data || data.type !== "arras-embed:height" || typeof data.height !== "number") { return; }
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) {
        var height = Math.max(100, Math.min(5000, Math.round(data.height)));
        frames[i].style.height = height + "px";
        frames[i].setAttribute("height", String(height));
        frames[i].style.overflow = "hidden";
        return;
      }
    }
  });
  ask();
  if (document.readyState !== "complete") { window.addEventListener("load", ask); }
})();

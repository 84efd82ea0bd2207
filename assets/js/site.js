// 1. Swap the server's copy of the page for the Dash app once the app has drawn the page.
// 2. Mount each chart when it comes near the viewport, so a long page does not draw every chart on load.
(function () {
  "use strict";
  var NEAR = "400px 0px";

  function watchCharts(page) {
    var holders = page.querySelectorAll("[data-chart]");
    var show = function (el) {
      window.dash_clientside.set_props({type: "chart-visible", slug: el.getAttribute("data-chart")}, {data: true});
    };
    if (!window.IntersectionObserver) { holders.forEach(show); return; }
    var io = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) { if (e.isIntersecting) { io.unobserve(e.target); show(e.target); } });
    }, {rootMargin: NEAR});
    holders.forEach(function (el) { io.observe(el); });
  }

  function swap(page) {
    var copy = document.getElementById("prerender");
    if (copy) { copy.parentNode.removeChild(copy); }
    document.body.classList.remove("prerendered");
    watchCharts(page);
  }

  var root = document.getElementById("react-entry-point");
  if (!root || !window.MutationObserver) { return; }
  var observer = new MutationObserver(function () {
    var page = document.getElementById("page-content");
    if (page && page.children.length > 0) {
      observer.disconnect();
      window.requestAnimationFrame(function () { swap(page); });
    }
  });
  observer.observe(root, {childList: true, subtree: true});
})();

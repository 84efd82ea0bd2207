// Swap the server's copy of the page for the Dash app once the app has drawn the page.
(function () {
  "use strict";
  function swap() {
    var copy = document.getElementById("prerender");
    if (copy) { copy.parentNode.removeChild(copy); }
    document.body.classList.remove("prerendered");
  }
  function drawn() {
    var page = document.getElementById("page-content");
    return page && page.children.length > 0;
  }
  var root = document.getElementById("react-entry-point");
  if (!root || !window.MutationObserver) { return; }
  var observer = new MutationObserver(function () {
    if (drawn()) { observer.disconnect(); window.requestAnimationFrame(swap); }
  });
  observer.observe(root, { childList: true, subtree: true });
})();

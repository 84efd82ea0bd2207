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

  // On a phone the filters start folded (the server's copy was folded as it was read, see shell.py):
  // the app's panel takes the copy's state, so a panel the reader has opened stays open.
  function foldFilters(page, copy) {
    var shown = copy ? copy.querySelector("details.filters") : null;
    var phone = window.matchMedia && window.matchMedia("(max-width: 575.98px)").matches;
    page.querySelectorAll("details.filters").forEach(function (d) { d.open = shown ? shown.open : !phone; });
  }

  function swap(page) {
    var copy = document.getElementById("prerender");
    foldFilters(page, copy);
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

// 3. "Intégrer ce graphique": the iframe code of the view shown (filters included), with options,
//    a live preview and a copy button. Built here on first use: plain HTML, no Dash component.
(function () {
  "use strict";
  var TEXT = {
    fr: {title: "Intégrer ce graphique", intro: "Collez ce code dans votre article (bloc HTML ou « code embarqué ») :",
         theme: "Thème", light: "Clair", dark: "Sombre", auto: "Selon l'appareil du lecteur",
         height: "Hauteur (pixels)", pin: "Figer sur cette version des données",
         code: "Code à coller", copy: "Copier le code", copied: "Code copié.", preview: "Aperçu", close: "Fermer",
         frame: "Graphique : ", help: "Mode d'emploi", language: "Langue du graphique", fr: "Français",
         en: "Anglais", phone: "Aperçu à la largeur d'un téléphone (360 pixels)"},
    en: {title: "Embed this chart", intro: "Paste this code into your article (HTML or “embed” block):",
         theme: "Theme", light: "Light", dark: "Dark", auto: "Follow the reader's device",
         height: "Height (pixels)", pin: "Pin to this version of the data",
         code: "Code to paste", copy: "Copy the code", copied: "Code copied.", preview: "Preview", close: "Close",
         frame: "Chart: ", help: "How-to", language: "Language of the chart", fr: "French", en: "English",
         phone: "Preview at a phone's width (360 pixels)"}
  };
  var FILTERS = ["niveau", "secteur", "quartier"];
  var lang = document.documentElement.lang === "en" ? "en" : "fr";
  var t = TEXT[lang];
  var FRAME_TEXT = {fr: "Graphique : ", en: "Chart: "};  // the iframe's title, in the widget's language
  var PHONE_WIDTH = 360;
  var dialog, current, titles;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.append(c); });
    return node;
  }

  function build() {
    var themes = el("fieldset", {}, [el("legend", {}, [t.theme])]);
    ["light", "dark", "auto"].forEach(function (value) {
      var input = el("input", {type: "radio", name: "embed-theme", value: value});
      if (value === "light") { input.checked = true; }
      themes.append(el("label", {}, [input, t[value]]));
    });
    var langs = el("fieldset", {}, [el("legend", {}, [t.language])]);
    ["fr", "en"].forEach(function (value) {
      var input = el("input", {type: "radio", name: "embed-lang", value: value});
      if (value === lang) { input.checked = true; }
      langs.append(el("label", {}, [input, t[value]]));
    });
    dialog = el("dialog", {"class": "embed-dialog", "aria-labelledby": "embed-title"}, [
      el("h2", {id: "embed-title", "class": "h4"}, [t.title]),
      el("p", {id: "embed-chart", "class": "fw-semibold"}),
      themes,
      langs,
      el("div", {"class": "embed-row"}, [
        el("label", {}, [t.height, el("input", {type: "number", id: "embed-height", min: "200", max: "3000", step: "10",
                                                 "class": "form-control form-control-sm", style: "width:7rem"})]),
        el("label", {}, [el("input", {type: "checkbox", id: "embed-pin", "class": "form-check-input"}), t.pin])
      ]),
      el("p", {}, [t.intro]),
      el("label", {"for": "embed-code", "class": "visually-hidden"}, [t.code]),
      el("textarea", {id: "embed-code", rows: "5", readonly: "readonly", "class": "form-control"}),
      el("div", {"class": "embed-row"}, [
        el("button", {type: "button", id: "embed-copy", "class": "btn btn-primary btn-sm"}, [t.copy]),
        el("span", {id: "embed-copied", role: "status"}),
        el("a", {href: "/aide/integrer-un-graphique" + (lang === "en" ? "?lang=en" : "")}, [t.help])
      ]),
      el("h3", {"class": "h6"}, [t.preview]),
      el("label", {}, [el("input", {type: "checkbox", id: "embed-phone", "class": "form-check-input"}), t.phone]),
      el("iframe", {id: "embed-preview", title: t.preview, loading: "lazy", height: "400"}),
      el("div", {"class": "embed-row"}, [el("button", {type: "button", id: "embed-close", "class": "btn btn-secondary btn-sm"}, [t.close])])
    ]);
    document.body.append(dialog);
    dialog.addEventListener("input", refresh);
    dialog.addEventListener("change", refresh);
    dialog.querySelector("#embed-close").addEventListener("click", function () { dialog.close(); });
    dialog.querySelector("#embed-copy").addEventListener("click", copy);
    // The preview sizes itself as embed.js would size the pasted code (at a phone's width too).
    window.addEventListener("message", function (event) {
      var preview = dialog.querySelector("#embed-preview");
      var data = event.data;
      if (event.origin !== window.location.origin || event.source !== preview.contentWindow || !data ||
          data.type !== "arras-embed:height" || typeof data.height !== "number") { return; }
      preview.style.height = Math.max(100, Math.min(5000, Math.round(data.height))) + "px";
    });
  }

  function widgetUrl() {
    var page = new URLSearchParams(window.location.search);
    var query = new URLSearchParams();
    FILTERS.forEach(function (k) { if (page.get(k)) { query.set(k, page.get(k)); } });
    var widgetLang = chosenLang();
    if (widgetLang !== "fr") { query.set("lang", widgetLang); }
    var theme = dialog.querySelector("input[name=embed-theme]:checked").value;
    if (theme !== "light") { query.set("theme", theme); }
    if (dialog.querySelector("#embed-pin").checked) { query.set("v", current.version); }
    var q = query.toString();
    return window.location.origin + "/embed/" + current.slug + (q ? "?" + q : "");
  }

  function chosenLang() { return dialog.querySelector("input[name=embed-lang]:checked").value; }

  // The chart's title in each language, from the widget index (the button only knows the page's).
  function loadTitles() {
    if (titles || !window.fetch) { return; }
    titles = {};
    fetch("/embed/index.json").then(function (r) { return r.json(); }).then(function (index) {
      index.widgets.forEach(function (w) { titles[w.slug] = w.title; });
      if (dialog.open) { refresh(); }
    }).catch(function () {});
  }

  function titleIn(widgetLang) {
    var known = titles && titles[current.slug];
    return (known && known[widgetLang]) || current.title;
  }

  function escapeAttr(s) { return s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;"); }

  function refresh() {
    var url = widgetUrl();
    var height = parseInt(dialog.querySelector("#embed-height").value, 10) || current.height;
    var site = document.querySelector(".brand") ? document.querySelector(".brand").textContent : "";
    dialog.querySelector("#embed-code").value =
      '<iframe src="' + escapeAttr(url) + '" title="' +
      escapeAttr(FRAME_TEXT[chosenLang()] + titleIn(chosenLang()) + " (" + site + ")") +
      '" width="100%" height="' + height + '" loading="lazy" style="border:0;width:100%"></iframe>\n' +
      '<script async src="' + window.location.origin + '/embed.js"></' + 'script>';
    var preview = dialog.querySelector("#embed-preview");
    if (preview.getAttribute("src") !== url) { preview.setAttribute("src", url); }
    preview.setAttribute("height", String(height));
    preview.style.width = dialog.querySelector("#embed-phone").checked ? PHONE_WIDTH + "px" : "";
    dialog.querySelector("#embed-copied").textContent = "";
  }

  function copy() {
    var area = dialog.querySelector("#embed-code");
    var done = function () { dialog.querySelector("#embed-copied").textContent = t.copied; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(area.value).then(done);
    } else {
      area.select();
      document.execCommand("copy");
      done();
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".embed-open") : null;
    if (!button) { return; }
    if (!dialog) { build(); }
    loadTitles();
    current = {slug: button.getAttribute("data-slug"), title: button.getAttribute("data-title"),
               height: parseInt(button.getAttribute("data-height"), 10) || 500,
               version: button.getAttribute("data-version")};
    dialog.querySelector("#embed-chart").textContent = current.title;
    dialog.querySelector("#embed-height").value = String(current.height);
    refresh();
    dialog.showModal();
  });
})();

// Makes charts and maps interactive: each <figure> carries its Vega-Lite spec as JSON beside a container with
// role="img" (the alt text). When the page has such figures the vendored Vega runtime is loaded (from the
// directory in this script's data-vendor attribute, unless the page loaded it already) and the container gets
// the interactive view of the same spec. Expressions run in Vega's interpreter, so no eval is needed and a
// Content-Security-Policy without 'unsafe-eval' works. Without JavaScript the static SVG (publications) or the
// table alternative (pages) remains.
(function () {
  "use strict";
  var script = document.currentScript;
  var vendor = script ? script.getAttribute("data-vendor") : null;
  var RUNTIME = ["vega.min.js", "vega-lite.min.js", "vega-interpreter.min.js", "vega-embed.min.js"];

  function load(src) {
    return new Promise(function (resolve, reject) {
      var element = document.createElement("script");
      element.src = src;
      element.addEventListener("load", resolve);
      element.addEventListener("error", reject);
      document.head.appendChild(element);
    });
  }

  function runtime() {
    if (typeof window.vegaEmbed === "function") {
      return Promise.resolve();
    }
    if (!vendor) {
      return Promise.reject(new Error("no Vega runtime"));
    }
    return RUNTIME.reduce(function (previous, file) {
      return previous.then(function () { return load(vendor + file); });
    }, Promise.resolve());
  }

  function options() {
    var opts = { actions: false, renderer: "svg", defaultStyle: false,
                 tooltip: { theme: "custom", disableDefaultStyle: true } };
    if (window.vega && window.vega.expressionInterpreter) {
      opts.ast = true;
      opts.expr = window.vega.expressionInterpreter;
    }
    return opts;
  }

  function embed(script) {
    var target = script.parentElement.querySelector("[role='img']");
    if (!target) {
      return;
    }
    var spec;
    try {
      spec = JSON.parse(script.textContent);
    } catch (error) {
      return;
    }
    var label = target.getAttribute("aria-label");
    window.vegaEmbed(target, spec, options()).then(function () {
      // vega-embed gives the container its own role and label: keep the page's alt text.
      target.setAttribute("role", "img");
      target.setAttribute("aria-label", label);
      target.classList.add("chart-interactive");
    }).catch(function (error) {
      window.console.warn("Dugnad: figure not drawn; the static content stays.", error);
    });
  }

  function enhance() {
    var specs = document.querySelectorAll("figure > script[type='application/json']");
    if (!specs.length) {
      return;
    }
    runtime().then(function () { specs.forEach(embed); }).catch(function (error) {
      window.console.warn("Dugnad: Vega runtime not loaded; figures stay static.", error);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();

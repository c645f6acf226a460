// Makes the charts of HTML publications interactive: each <figure> carries its Vega-Lite spec as JSON beside
// the static SVG; when the Vega runtime is loaded the SVG is replaced by the interactive view of the same spec.
// Without JavaScript (or offline, when the file is opened on its own) the static SVG and its alt text remain.
(function () {
  "use strict";
  function enhance() {
    if (typeof window.vegaEmbed !== "function") {
      return;
    }
    document.querySelectorAll("figure > script[type='application/json']").forEach(function (script) {
      var target = script.parentElement.querySelector("div[role='img']");
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
      window.vegaEmbed(target, spec, { actions: false, renderer: "svg" }).then(function () {
        // vega-embed gives the container its own role and label: keep the publication's alt text.
        target.setAttribute("role", "img");
        target.setAttribute("aria-label", label);
        target.classList.add("chart-interactive");
      }).catch(function () { /* keep the static SVG */ });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();

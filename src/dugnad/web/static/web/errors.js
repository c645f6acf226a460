// Shows failed htmx requests: a server error or a lost connection must never look like a saved value.
// The texts come from data attributes on <body> (translated by the template), so no inline script is needed.
(function () {
  "use strict";
  function report(event, key) {
    var text = document.body.getAttribute(key) || "";
    var source = event.detail && event.detail.elt;
    var holder = source && source.closest ? (source.closest("form") || source) : null;
    var status = holder ? holder.querySelector("[role='status']") : null;
    if (status) {
      status.textContent = text;
      status.className = status.className.replace(/\bcell-[a-z]+\b/, "cell-error");
      var input = holder.querySelector("input:not([type='hidden']), textarea, select");
      if (input) {
        input.setAttribute("aria-invalid", "true");
      }
      return;
    }
    var box = document.getElementById("request-error");
    if (!box) {
      box = document.createElement("p");
      box.id = "request-error";
      box.className = "message message-error";
      box.setAttribute("role", "alert");
      document.querySelector("main").prepend(box);
    }
    box.textContent = text;
  }
  document.addEventListener("htmx:responseError", function (event) {
    var busy = event.detail && event.detail.xhr && event.detail.xhr.status === 503;  // the store is busy (an import)
    report(event, busy ? "data-error-busy" : "data-error-server");
  });
  document.addEventListener("htmx:sendError", function (event) { report(event, "data-error-network"); });
  document.addEventListener("htmx:timeout", function (event) { report(event, "data-error-network"); });
})();

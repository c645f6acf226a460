// Narratives save themselves like the grid: a short pause in typing (or leaving the field) posts the form in the
// background. The textarea is never replaced while the editor types: only the version, message and preview are
// updated from the server's answer; a conflict or an invalid text replaces the section to show it. Leaving the page
// with text that is not saved yet asks for confirmation. No inline script: the texts come from data attributes.
(function () {
  "use strict";
  var PAUSE_MS = 1200;
  var timers = new WeakMap();

  function status(form) { return form.querySelector("[role='status']"); }

  function setMessage(form, text, kind) {
    var box = status(form);
    if (box) {
      box.textContent = text;
      box.className = "cell-msg cell-" + kind;
    }
  }

  function save(form) {
    clearTimeout(timers.get(form));
    if (form.dataset.saving === "true") {
      form.dataset.again = "true";
      return;
    }
    var area = form.querySelector("textarea");
    form.dataset.saving = "true";
    setMessage(form, area.getAttribute("data-saving") || "", "idle");
    var sent = area.value;
    fetch(form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: {"HX-Request": "true", "X-Requested-With": "fetch"}
    }).then(function (response) {
      return response.text().then(function (html) { return {status: response.status, html: html}; });
    }).then(function (result) {
      form.dataset.saving = "false";
      var doc = new DOMParser().parseFromString(result.html, "text/html");
      var fresh = doc.querySelector("section.narrative");
      var section = form.closest("section.narrative");
      if (result.status === 200 && fresh) {
        form.querySelector("input[name='version']").value = fresh.querySelector("input[name='version']").value;
        var preview = fresh.querySelector(".preview");
        var old = section.querySelector(".preview");
        if (old) { old.remove(); }
        if (preview) { section.appendChild(preview); }
        if (area.value === sent) {
          delete form.dataset.dirty;
          setMessage(form, status(fresh.querySelector("form")).textContent, "saved");
        }
        if (form.dataset.again === "true" || area.value !== sent) {
          delete form.dataset.again;
          schedule(form);
        }
      } else if (fresh && (result.status === 409 || result.status === 422)) {
        section.replaceWith(fresh);
        var kept = fresh.querySelector("form[data-autosave]");
        if (kept) { kept.dataset.dirty = "true"; }
      } else {
        var body = document.body;
        var key = result.status === 503 ? "data-error-busy" : "data-error-server";  // 503: the store is busy (an import)
        setMessage(form, body.getAttribute(key) || "", "error");
      }
    }).catch(function () {
      form.dataset.saving = "false";
      setMessage(form, document.body.getAttribute("data-error-network") || "", "error");
    });
  }

  function schedule(form) {
    clearTimeout(timers.get(form));
    timers.set(form, setTimeout(function () { save(form); }, PAUSE_MS));
  }

  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("form[data-autosave]");
    if (!form || event.target.tagName !== "TEXTAREA") { return; }
    form.dataset.dirty = "true";
    setMessage(form, event.target.getAttribute("data-unsaved") || "", "idle");
    schedule(form);
  });
  document.addEventListener("focusout", function (event) {
    var form = event.target.closest && event.target.closest("form[data-autosave]");
    if (form && form.dataset.dirty === "true") { save(form); }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target.closest && event.target.closest("form[data-autosave]");
    if (form) {
      event.preventDefault();
      event.stopPropagation();
      save(form);
    }
  }, true);
  window.addEventListener("beforeunload", function (event) {
    var dirty = Array.prototype.some.call(document.querySelectorAll("form[data-autosave]"), function (form) {
      return form.isConnected && form.dataset.dirty === "true";
    });
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();

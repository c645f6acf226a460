/* Live budget total of the action form: the shares of the lead and every partner row, summed as you type. */
(function () {
  "use strict";
  function setup() {
    var out = document.getElementById("share-total");
    if (!out) { return; }
    var form = out.closest("form");
    function inputs() { return form.querySelectorAll("input.dg-share, #id_lead_budget_share"); }
    function update() {
      var total = 0, any = false;
      inputs().forEach(function (el) {
        var v = parseFloat((el.value || "").replace(",", "."));
        if (!isNaN(v)) { total += v; any = true; }
      });
      var text = any ? (Math.round(total * 100) / 100).toLocaleString(document.documentElement.lang || "nb") + " %" : "–";
      if (total > 100) { text += " – " + out.getAttribute("data-over"); }
      out.textContent = text;
      out.classList.toggle("error", total > 100);
    }
    form.addEventListener("input", function (e) { if (e.target.matches("input.dg-share, #id_lead_budget_share")) { update(); } });
    update();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", setup); } else { setup(); }
}());

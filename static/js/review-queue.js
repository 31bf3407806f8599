// Keyboard use of the review queue: j/k move between rows, x ticks the row, p asks for its
// preview, a submits the bulk acceptance; "select all" ticks every shown row. No inline script (CSP).
(function () {
  "use strict";
  function rows() { return Array.prototype.slice.call(document.querySelectorAll(".queue-row")); }
  document.addEventListener("change", function (e) {
    if (e.target.matches("[data-check-all]")) {
      document.querySelectorAll("#bulk-form input[name=item]").forEach(function (box) { box.checked = e.target.checked; });
    }
  });
  document.addEventListener("keydown", function (e) {
    var tag = (e.target.tagName || "").toLowerCase();
    if (tag === "input" && e.target.type !== "checkbox" || tag === "textarea" || tag === "select" || e.ctrlKey || e.metaKey || e.altKey) return;
    var list = rows();
    var current = document.activeElement && document.activeElement.closest(".queue-row");
    var i = list.indexOf(current);
    if (e.key === "j" || e.key === "k") {
      var next = list[e.key === "j" ? Math.min(i + 1, list.length - 1) : Math.max(i - 1, 0)];
      if (next) { next.focus(); e.preventDefault(); }
    } else if (e.key === "x" && current) {
      var box = current.querySelector("input[type=checkbox]");
      if (box) { box.checked = !box.checked; e.preventDefault(); }
    } else if (e.key === "p" && current) {
      var button = current.querySelector(".preview-btn");
      if (button) { button.click(); e.preventDefault(); }
    } else if (e.key === "a") {
      var form = document.getElementById("bulk-form");
      if (form && form.querySelector("input[name=item]:checked")) { form.requestSubmit(); e.preventDefault(); }
    }
  });
})();

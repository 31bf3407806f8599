/* "Cetak" links open a page with ?cetak=1 (the monitoring list with every filtered row): print it
   once the page and its charts are drawn. A file, not an inline script (CSP). */
(function () {
  "use strict";
  if (new URLSearchParams(window.location.search).get("cetak") !== "1") { return; }
  window.addEventListener("load", function () {
    // Chart.js draws after load (300 ms animation); print what it drew, not an empty canvas.
    window.setTimeout(function () { window.print(); }, 600);
  });
})();

/* Dashboard charts (Chart.js 4, vendored in static/vendor/chartjs-4.6.1). No inline script: the
   data comes from the <script type="application/json" id="dashboard-chart-data"> the page renders,
   and every chart has the same figures in a table for screen readers and printing. */
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("dashboard-chart-data");
    if (!source || typeof window.Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var colors = { self: "#0b5394", tpi: "#b85c00" };
    function options(spec, max) {
      return {
        responsive: true, maintainAspectRatio: false, animation: reduced ? false : { duration: 300 },
        plugins: { title: { display: true, text: spec.title }, legend: { position: "bottom" } },
        scales: {
          x: { title: { display: true, text: spec.xTitle } },
          y: { beginAtZero: true, max: max, title: { display: true, text: spec.yTitle }, ticks: { precision: 0 } }
        }
      };
    }
    function chart(id, spec, max) {
      var canvas = document.getElementById(id);
      if (!canvas) { return; }
      new window.Chart(canvas, {
        type: "bar",
        data: {
          labels: spec.labels,
          datasets: [
            { label: data.series.self, data: spec.self, backgroundColor: colors.self },
            { label: data.series.tpi, data: spec.tpi, backgroundColor: colors.tpi }
          ]
        },
        options: options(spec, max)
      });
    }
    chart("chart-distribution", data.distribution, undefined);
    chart("chart-areas", data.areas, 100);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();

// Charts for the nomination pages. Data comes from json_script elements; every chart also
// has a table, so the pages work without this file.
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    if (canvas.dataset.chartKey) { data = data[canvas.dataset.chartKey]; }
    if (!data || !data.labels) { return; }
    new Chart(canvas, {
      type: canvas.dataset.chartType || "bar",
      data: {
        labels: data.labels,
        datasets: [{ label: canvas.getAttribute("aria-label") || "", data: data.values }]
      },
      options: {
        maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
  });
})();

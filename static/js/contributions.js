// The window page's month chart. The page shows the same numbers as a table without this file.
(function () {
  "use strict";
  function drawWindowChart() {
    var canvas = document.getElementById("window-chart");
    var source = document.getElementById("window-chart-data");
    if (!canvas || !source || typeof window.Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: [{ label: data.label, data: data.counts }] },
      options: {
        maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawWindowChart);
  } else {
    drawWindowChart();
  }
})();

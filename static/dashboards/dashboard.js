// The leaders' dashboard: draws each <canvas data-chart="…"> with Chart.js from
// the page's "dashboard-charts" JSON (json_script), opens the table views for
// printing, and wires the print button. No inline scripts.
(function () {
  "use strict";

  const COLORS = {
    green: "#198754",
    yellow: "#e0a800",
    red: "#dc3545",
    blue: "#0d6efd",
  };

  function dataset(spec, type) {
    const color = COLORS[spec.color] || COLORS.blue;
    return {
      label: spec.label,
      data: spec.data,
      backgroundColor: type === "line" ? color + "33" : color,
      borderColor: color,
      borderWidth: type === "line" ? 2 : 0,
      tension: 0.25,
      fill: false,
      pointRadius: type === "line" ? 3 : 0,
    };
  }

  function options(spec) {
    const stacked = spec.type === "stacked";
    const valueAxis = {
      stacked: stacked,
      beginAtZero: true,
      ticks: { precision: 0 },
    };
    if (spec.percent) {
      valueAxis.max = 100;
    }
    const labelAxis = { stacked: stacked, ticks: { autoSkip: false } };
    return {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      indexAxis: spec.horizontal ? "y" : "x",
      plugins: { legend: { position: "bottom" } },
      scales: spec.horizontal
        ? { x: valueAxis, y: labelAxis }
        : { x: labelAxis, y: valueAxis },
    };
  }

  function draw() {
    const source = document.getElementById("dashboard-charts");
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    const charts = JSON.parse(source.textContent);
    document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
      const spec = charts[canvas.dataset.chart];
      if (!spec) {
        return;
      }
      if (spec.horizontal) {
        // one bar a line: tall lists get a taller canvas
        const height = Math.max(220, 26 * spec.labels.length + 60);
        canvas.parentElement.style.height = height + "px";
      }
      const type = spec.type === "line" ? "line" : "bar";
      const chart = new window.Chart(canvas, {
        type: type,
        data: {
          labels: spec.labels,
          datasets: spec.datasets.map((d) => dataset(d, type)),
        },
        options: options(spec),
      });
      canvas.dataset.rendered = "1";
      canvas.chart = chart;
    });
  }

  // Printing shows every table view; the charts redraw at paper width.
  window.addEventListener("beforeprint", () => {
    document.querySelectorAll("details.app-dash-details").forEach((d) => {
      d.dataset.wasOpen = d.open ? "1" : "";
      d.open = true;
    });
  });
  window.addEventListener("afterprint", () => {
    document.querySelectorAll("details.app-dash-details").forEach((d) => {
      d.open = d.dataset.wasOpen === "1";
    });
  });
  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();

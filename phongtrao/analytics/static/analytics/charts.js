// Draws each dashboard table marked data-chart as a Chart.js chart in the box before it.
// The table stays the source and stays on the page (screen readers, printing, copying); the
// page works without this script. Settings only through data attributes: the
// Content-Security-Policy refuses inline scripts.
document.addEventListener("DOMContentLoaded", () => {
  if (!window.Chart) return;
  for (const box of document.querySelectorAll("[data-chart-for]")) {
    const table = document.getElementById(box.dataset.chartFor);
    if (table) drawChart(box, table);
  }
});

const CHART_COLOURS = ["#a4161a", "#0b5cad", "#216e39", "#9a6700"];
// Height of one bar of a horizontal bar chart, in pixels.
const BAR_HEIGHT = 26;

function cellNumber(cell) {
  const raw = cell ? cell.dataset.value : undefined;
  return raw === undefined || raw === "" ? null : Number(raw);
}

function drawChart(box, table) {
  const type = table.dataset.chart;
  const labelColumn = Number(table.dataset.labels || 0);
  const series = table.dataset.series.split(",").map(Number);
  const limit = Number(table.dataset.limit || 0);
  const headers = [...table.tHead.rows[0].cells].map((cell) => cell.textContent.trim());
  // Rows of a unit's own report and of the total are not points of the chart.
  let rows = [...table.tBodies[0].rows].filter((row) => !row.dataset.role && row.cells.length > 1);
  if (limit) {
    rows = rows.filter((row) => cellNumber(row.cells[series[0]]) !== null).slice(0, limit);
  }
  if (!rows.length) return;
  const horizontal = type === "hbar";
  const datasets = series.map((column, i) => ({
    label: headers[column],
    data: rows.map((row) => cellNumber(row.cells[column])),
    borderColor: CHART_COLOURS[i % CHART_COLOURS.length],
    backgroundColor: CHART_COLOURS[i % CHART_COLOURS.length] + (type === "line" ? "" : "cc"),
    spanGaps: false,
  }));
  // Whole numbers (events, models) get whole ticks, not 0,1 … 0,9.
  const whole = datasets.every((d) => d.data.every((v) => v === null || Number.isInteger(v)));
  const canvas = document.createElement("canvas");
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", box.dataset.label || table.dataset.title);
  box.classList.add("has-chart");
  if (horizontal) box.style.height = `${Math.max(160, rows.length * BAR_HEIGHT + 60)}px`;
  box.append(canvas);
  const locale = document.documentElement.lang || "vi";
  new window.Chart(canvas, {
    type: horizontal ? "bar" : type,
    data: { labels: rows.map((row) => row.cells[labelColumn].textContent.trim()), datasets },
    options: {
      locale,
      indexAxis: horizontal ? "y" : "x",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { display: datasets.length > 1 } },
      scales: {
        [horizontal ? "x" : "y"]: {
          beginAtZero: true,
          ticks: whole ? { precision: 0 } : {},
          ...(table.dataset.max ? { max: Number(table.dataset.max) } : {}),
        },
      },
    },
  });
}

// Relations page: the series of /api/relations for two actors, both directions, as mean Goldstein
// per period (line) over event counts (bars).
(function () {
  "use strict";
  var canvas = document.getElementById("relations-chart");
  if (!canvas || !window.Chart) { return; }
  var a = canvas.getAttribute("data-a"), b = canvas.getAttribute("data-b");
  var params = new URLSearchParams({ a: a, b: b, interval: canvas.getAttribute("data-interval") });
  fetch("/api/relations?" + params.toString()).then(function (r) { return r.json(); }).then(function (data) {
    var periods = Array.from(new Set(data.series.map(function (p) { return p.period; }))).sort();
    function series(direction, key) {
      return periods.map(function (period) {
        var p = data.series.find(function (s) { return s.period === period && s.direction === direction; });
        return p ? p[key] : null;
      });
    }
    new window.Chart(canvas, {
      data: { labels: periods, datasets: [
        { type: "line", label: a + " → " + b + " mean Goldstein", data: series("a->b", "goldstein_mean"),
          borderColor: "#1971c2", yAxisID: "g", spanGaps: true },
        { type: "line", label: b + " → " + a + " mean Goldstein", data: series("b->a", "goldstein_mean"),
          borderColor: "#e8590c", yAxisID: "g", spanGaps: true },
        { type: "bar", label: a + " → " + b + " events", data: series("a->b", "events"),
          backgroundColor: "rgba(25,113,194,.25)", yAxisID: "n" },
        { type: "bar", label: b + " → " + a + " events", data: series("b->a", "events"),
          backgroundColor: "rgba(232,89,12,.25)", yAxisID: "n" }
      ] },
      options: { animation: false, maintainAspectRatio: false,
                 scales: { g: { position: "left", min: -10, max: 10, title: { display: true, text: "Goldstein" } },
                           n: { position: "right", beginAtZero: true, ticks: { precision: 0 },
                                grid: { drawOnChartArea: false } } } }
    });
    canvas.setAttribute("data-ready", String(periods.length));
  }).catch(function (e) { console.error(e); });
})();

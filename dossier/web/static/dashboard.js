// Dashboard charts: read the API with this page's own filters (its query string), draw the
// timeline (Chart.js), the actor network (Cytoscape) and the map (Leaflet over world-atlas).
(function () {
  "use strict";
  var QUAD = { "1": "#2b8a3e", "2": "#74b816", "3": "#f08c00", "4": "#c92a2a" };
  var QUAD_NAMES = { "1": "verbal cooperation", "2": "material cooperation", "3": "verbal conflict", "4": "material conflict" };
  var panels = document.getElementById("panels");
  if (!panels) { return; }
  var query = panels.getAttribute("data-query") || "";

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) { throw new Error(url + ": HTTP " + r.status); }
      return r.json();
    });
  }
  function api(path) { return path + (query ? "?" + query : ""); }

  function drawTimeline(stats) {
    var canvas = document.getElementById("timeline");
    if (!canvas || !window.Chart) { return; }
    var labels = stats.by_day.map(function (d) { return d.date; });
    var datasets = ["1", "2", "3", "4"].map(function (q) {
      return { label: q + " " + QUAD_NAMES[q], backgroundColor: QUAD[q],
               data: stats.by_day.map(function (d) { return d.quad_class[q] || 0; }) };
    });
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: datasets },
      options: { animation: false, maintainAspectRatio: false, responsive: true,
                 scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } }
    });
    canvas.setAttribute("data-ready", String(labels.length));
  }

  function drawNetwork(stats) {
    var el = document.getElementById("network");
    if (!el || !window.cytoscape) { return; }
    var nodes = {}, elements = [];
    stats.by_actor_pair.forEach(function (p, i) {
      nodes[p.actor] = (nodes[p.actor] || 0) + p.events;
      nodes[p.recipient] = (nodes[p.recipient] || 0) + p.events;
      elements.push({ data: { id: "e" + i, source: "n:" + p.actor, target: "n:" + p.recipient, weight: p.events,
                              color: p.cooperation >= p.conflict ? QUAD["1"] : QUAD["4"] } });
    });
    Object.keys(nodes).forEach(function (code) {
      elements.unshift({ data: { id: "n:" + code, label: code, size: 14 + 4 * Math.sqrt(nodes[code]) } });
    });
    var cy = window.cytoscape({
      container: el, elements: elements, wheelSensitivity: 0.3,
      layout: { name: "cose", animate: false, randomize: false },
      style: [
        { selector: "node", style: { label: "data(label)", width: "data(size)", height: "data(size)",
                                     "background-color": "#1c2b3a", "font-size": 12, color: "#212529" } },
        { selector: "edge", style: { width: "mapData(weight, 1, 20, 1, 8)", "line-color": "data(color)",
                                     "target-arrow-color": "data(color)", "target-arrow-shape": "triangle",
                                     "curve-style": "bezier", opacity: 0.8 } }
      ]
    });
    cy.on("tap", "node", function (evt) {
      var params = new URLSearchParams(window.location.search);
      params.set("actor", evt.target.data("label"));
      params.delete("cursor");
      window.location.search = params.toString();
    });
    el.setAttribute("data-ready", String(Object.keys(nodes).length));
  }

  function drawMap(points) {
    var el = document.getElementById("map");
    if (!el || !window.L) { return; }
    var map = window.L.map(el, { worldCopyJump: true, attributionControl: false }).setView([25, 20], 2);
    getJSON("/static/vendor/countries-110m.json").then(function (world) {
      var land = window.topojson.feature(world, world.objects.countries);
      window.L.geoJSON(land, { style: { color: "#868e96", weight: 0.6, fillColor: "#f1f3f5", fillOpacity: 1 },
                               interactive: false }).addTo(map);
      points.forEach(function (p) {
        var top = ["1", "2", "3", "4"].reduce(function (a, b) { return p.quad_class[a] >= p.quad_class[b] ? a : b; });
        var marker = window.L.circleMarker([p.lat, p.lon], {
          radius: 4 + 3 * Math.sqrt(p.events), color: QUAD[top], fillColor: QUAD[top],
          fillOpacity: p.precision === "country" ? 0.15 : 0.6, weight: p.precision === "country" ? 2 : 1,
          dashArray: p.precision === "country" ? "3" : null
        }).addTo(map);
        var box = document.createElement("div");  // text nodes only: names are never markup
        box.textContent = p.name + " (" + p.precision + "): " + p.events + " events";
        marker.bindPopup(box);
      });
      el.setAttribute("data-ready", String(points.length));
    });
  }

  getJSON(api("/api/stats")).then(function (stats) { drawTimeline(stats); drawNetwork(stats); })
    .catch(function (e) { console.error(e); });
  getJSON(api("/api/map")).then(drawMap).catch(function (e) { console.error(e); });
})();

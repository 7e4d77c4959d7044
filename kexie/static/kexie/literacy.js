/* Science literacy pages: the contest countdown and the literacy-rate chart (ECharts).
 *
 * No inline script (CSP). The countdown reads the server's deadline from json_script; the server decides
 * whether an answer was in time, the clock here only shows it (and submits when time is up).
 */
(function () {
  "use strict";

  function readData(id) {
    var node = id && document.getElementById(id);
    if (!node) {
      return null;
    }
    try {
      return JSON.parse(node.textContent);
    } catch (e) {
      return null;
    }
  }

  function countdown(badge) {
    var timing = readData(badge.getAttribute("data-kx-countdown"));
    if (!timing) {
      return;
    }
    // Correct for the difference between the server's clock and this device's.
    var offset = Date.now() / 1000 - timing.now;
    var bar = document.querySelector("[data-kx-countdown-bar]");
    var form = document.querySelector("[data-kx-contest-form]");
    var sent = false;
    function tick() {
      var left = Math.max(0, timing.deadline - (Date.now() / 1000 - offset));
      badge.textContent = Math.ceil(left);
      if (bar) {
        bar.style.width = (100 * left / timing.seconds) + "%";
      }
      if (left <= 0) {
        if (form && !sent) {
          sent = true;
          form.submit();
        }
        return;
      }
      window.setTimeout(tick, 250);
    }
    if (form) {
      form.addEventListener("submit", function () { sent = true; });
    }
    tick();
  }

  function rateChart(node) {
    if (typeof window.echarts === "undefined") {
      return;
    }
    var data = readData(node.getAttribute("data-kx-literacy-chart"));
    if (!data) {
      return;
    }
    var years = [];
    data.series.forEach(function (s) { s.points.forEach(function (p) { if (years.indexOf(p[0]) < 0) { years.push(p[0]); } }); });
    years.sort();
    var series = [];
    data.series.forEach(function (s, i) {
      if (!s.points.length) {
        return;
      }
      var colors = ["#0b4a8b", "#198754", "#f0ad00"];
      series.push({
        name: s.name, type: "line", symbolSize: 8, connectNulls: true,
        itemStyle: { color: colors[i % 3] },
        data: s.points.map(function (p) { return [String(p[0]), p[1]]; }),
        markLine: i === 0 ? { symbol: "none", lineStyle: { type: "dashed", color: "#dc3545" },
          label: { formatter: data.target_label }, data: [{ yAxis: data.target }] } : undefined
      });
      var bars = s.points.filter(function (p) { return p[2] !== null; });
      if (bars.length) {
        series.push({
          name: s.name, type: "custom", itemStyle: { color: colors[i % 3] },
          renderItem: function (params, api) {
            var low = api.coord([api.value(0), api.value(1)]);
            var high = api.coord([api.value(0), api.value(2)]);
            return { type: "group", children: [
              { type: "line", shape: { x1: low[0], y1: low[1], x2: high[0], y2: high[1] }, style: { stroke: colors[i % 3], lineWidth: 1.5 } },
              { type: "line", shape: { x1: low[0] - 4, y1: low[1], x2: low[0] + 4, y2: low[1] }, style: { stroke: colors[i % 3] } },
              { type: "line", shape: { x1: high[0] - 4, y1: high[1], x2: high[0] + 4, y2: high[1] }, style: { stroke: colors[i % 3] } }
            ] };
          },
          data: bars.map(function (p) { return [String(p[0]), p[2], p[3]]; }), z: 10
        });
      }
    });
    var chart = window.echarts.init(node);
    chart.setOption({
      grid: { left: 40, right: 70, top: 40, bottom: 30 },
      legend: { top: 0 },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v + "%"; } },
      xAxis: { type: "category", data: years.map(String) },
      yAxis: { type: "value", min: 0, axisLabel: { formatter: "{value}%" } },
      series: series
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.querySelectorAll("[data-kx-countdown]").forEach(countdown);
  document.querySelectorAll("[data-kx-literacy-chart]").forEach(rateChart);
})();

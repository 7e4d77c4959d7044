/* The annual literacy survey page: the city's rate over the years against the 15% target, and the
 * districts' rates with their 95% confidence intervals (ECharts). No inline script (CSP): the data come
 * from json_script.
 */
(function () {
  "use strict";

  var COLORS = { published: "#0b4a8b", survey: "#198754", target: "#dc3545", bar: "#6ea8fe", small: "#f0ad00" };

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

  function errorBars(color, horizontal) {
    // value(0) the category, value(1)/value(2) the interval's ends.
    return function (params, api) {
      var low = horizontal ? api.coord([api.value(1), api.value(0)]) : api.coord([api.value(0), api.value(1)]);
      var high = horizontal ? api.coord([api.value(2), api.value(0)]) : api.coord([api.value(0), api.value(2)]);
      var cap = 4;
      var style = { stroke: color, lineWidth: 1.5 };
      var caps = horizontal
        ? [{ x1: low[0], y1: low[1] - cap, x2: low[0], y2: low[1] + cap }, { x1: high[0], y1: high[1] - cap, x2: high[0], y2: high[1] + cap }]
        : [{ x1: low[0] - cap, y1: low[1], x2: low[0] + cap, y2: low[1] }, { x1: high[0] - cap, y1: high[1], x2: high[0] + cap, y2: high[1] }];
      return {
        type: "group",
        children: [{ type: "line", shape: { x1: low[0], y1: low[1], x2: high[0], y2: high[1] }, style: style }]
          .concat(caps.map(function (shape) { return { type: "line", shape: shape, style: style }; }))
      };
    };
  }

  function targetLine(data) {
    return {
      symbol: "none", silent: true,
      lineStyle: { type: "dashed", color: COLORS.target },
      label: { formatter: data.target_label, position: data.horizontal ? "end" : "insideStartTop", color: COLORS.target },
      data: [data.horizontal ? { xAxis: data.target } : { yAxis: data.target }]
    };
  }

  function yearsChart(node, data) {
    var years = data.city.map(function (p) { return String(p[0]); });
    var chart = window.echarts.init(node);
    chart.setOption({
      animation: false,
      grid: { left: 44, right: 16, top: 36, bottom: 28 },
      legend: { top: 0, data: [data.labels.published, data.labels.survey] },
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          var row = data.city[p.dataIndex];
          var text = row[0] + "：" + row[1] + "%";
          return row[2] === null ? text : text + "（" + row[2] + "–" + row[3] + "%）";
        }
      },
      xAxis: { type: "category", data: years },
      yAxis: { type: "value", min: 0, axisLabel: { formatter: "{value}%" } },
      series: [
        {
          name: data.labels.city, type: "line", symbolSize: 9, z: 5,
          lineStyle: { color: "#9aa5b1" },
          data: data.city.map(function (p) {
            return { value: p[1], itemStyle: { color: COLORS[p[4]] || COLORS.published } };
          }),
          markLine: targetLine({ target: data.target, target_label: data.target_label })
        },
        { name: data.labels.published, type: "scatter", data: [], itemStyle: { color: COLORS.published } },
        { name: data.labels.survey, type: "scatter", data: [], itemStyle: { color: COLORS.survey } },
        {
          type: "custom", z: 4, silent: true, renderItem: errorBars(COLORS.survey, false), encode: { x: 0, y: [1, 2] },
          data: data.city.filter(function (p) { return p[2] !== null; }).map(function (p) {
            return [String(p[0]), p[2], p[3]];
          })
        }
      ]
    });
    return chart;
  }

  function districtsChart(node, data) {
    var rows = data.districts.slice().sort(function (a, b) { return a[1] - b[1]; });
    node.style.height = Math.max(240, rows.length * 18 + 60) + "px";
    var chart = window.echarts.init(node);
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 24, top: 36, bottom: 24, containLabel: true },
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          var row = rows[p.dataIndex];
          return row[0] + "：" + row[1] + "%（" + row[2] + "–" + row[3] + "%，n = " + row[4] + "）";
        }
      },
      xAxis: { type: "value", min: 0, axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", data: rows.map(function (r) { return r[0]; }), axisLabel: { fontSize: 11 } },
      series: [
        {
          type: "bar", barWidth: 10,
          data: rows.map(function (r) { return { value: r[1], itemStyle: { color: r[5] ? COLORS.small : COLORS.bar } }; }),
          markLine: targetLine({ target: data.target, target_label: data.target_label, horizontal: true })
        },
        {
          type: "custom", silent: true, z: 10, renderItem: errorBars("#495057", true), encode: { x: [1, 2], y: 0 },
          data: rows.map(function (r) { return [r[0], r[2], r[3]]; })
        }
      ]
    });
    return chart;
  }

  if (typeof window.echarts === "undefined") {
    return;
  }
  var charts = [];
  document.querySelectorAll("[data-kx-survey-chart]").forEach(function (node) {
    var data = readData(node.getAttribute("data-kx-survey-chart"));
    if (!data) {
      return;
    }
    charts.push(node.getAttribute("data-kind") === "districts" ? districtsChart(node, data) : yearsChart(node, data));
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();

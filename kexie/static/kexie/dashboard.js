/* Charts of the supervision dashboard and the measure pages (ECharts).
 *
 * No inline script (CSP): each chart is an element
 *   <div data-kx-chart="KIND" data-kx-data="ID"></div>
 * whose data the server wrote with Django's json_script into <script type="application/json" id="ID">.
 * Labels arrive translated from the server; colours follow the status lights of kexie.css.
 */
(function () {
  "use strict";

  if (typeof window.echarts === "undefined") {
    return;
  }

  var COLORS = {
    green: "#198754",
    amber: "#f0ad00",
    red: "#dc3545",
    done: "#0b4a8b",
    grey: "#adb5bd",
    on_time: "#198754",
    late: "#6f42c1",
    open_on_track: "#9ec5fe",
    report_missing: "#f0ad00",
    overdue: "#dc3545"
  };
  var LOCALE = (document.documentElement.lang || "").toLowerCase().indexOf("zh") === 0 ? "ZH" : "EN";
  var FONT = getComputedStyle(document.body).fontFamily;
  var charts = [];

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

  function narrow() {
    return window.matchMedia("(max-width: 576px)").matches;
  }

  function base() {
    return {
      textStyle: { fontFamily: FONT },
      animationDuration: 400,
      tooltip: { confine: true }
    };
  }

  function merge(target, extra) {
    Object.keys(extra).forEach(function (key) {
      target[key] = extra[key];
    });
    return target;
  }

  // Tasks of each section by light, one horizontal stacked bar per section.
  function lightsOption(data) {
    var small = narrow();
    return merge(base(), {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true },
      legend: { top: 0, itemWidth: 12, itemHeight: 10, textStyle: { fontSize: 11 } },
      grid: { left: 8, right: 16, top: small ? 52 : 32, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: {
        type: "category",
        inverse: true,
        data: data.categories,
        axisLabel: { width: small ? 96 : 180, overflow: "truncate", fontSize: 12 }
      },
      series: data.series.map(function (s) {
        return {
          name: s.name,
          type: "bar",
          stack: "lights",
          barMaxWidth: 28,
          itemStyle: { color: COLORS[s.key] },
          emphasis: { focus: "series" },
          data: s.data
        };
      })
    });
  }

  // Mean progress of each measure; a bar's colour is the measure's light; a click opens the measure.
  function progressOption(data) {
    return merge(base(), {
      tooltip: {
        trigger: "axis",
        axisPointer: { type: "shadow" },
        confine: true,
        formatter: function (params) {
          var i = params[0].dataIndex;
          return data.categories[i] + ". " + echarts.format.encodeHTML(data.titles[i]) + "<br>" + data.values[i] + "%";
        }
      },
      grid: { left: 8, right: 8, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.categories, axisTick: { alignWithLabel: true } },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      series: [{
        type: "bar",
        barMaxWidth: 26,
        cursor: "pointer",
        data: data.values.map(function (value, i) {
          return { value: value, itemStyle: { color: COLORS[data.lights[i]] || COLORS.grey } };
        }),
        label: { show: !narrow(), position: "top", fontSize: 10, formatter: "{c}%" }
      }]
    });
  }

  // Each department's tasks by outcome, horizontal and stacked.
  function scorecardOption(data) {
    var small = narrow();
    return merge(base(), {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true },
      legend: { top: 0, itemWidth: 12, itemHeight: 10, textStyle: { fontSize: 11 } },
      grid: { left: 8, right: 16, top: small ? 56 : 36, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: {
        type: "category",
        inverse: true,
        data: data.categories,
        axisLabel: { width: small ? 84 : 120, overflow: "truncate" }
      },
      series: data.series.map(function (s) {
        return {
          name: s.name,
          type: "bar",
          stack: "score",
          barMaxWidth: 22,
          itemStyle: { color: COLORS[s.key] },
          emphasis: { focus: "series" },
          data: s.data
        };
      })
    });
  }

  function yearOf(iso) {
    return parseInt(iso.slice(0, 4), 10);
  }

  // An indicator's history with the target as a dashed line. Yearly figures (a survey per year or
  // less often) sit on a year axis, so that "2015" reads as 2015 and the gap years keep their width;
  // anything more frequent uses a time axis.
  function historyOption(data) {
    var unit = data.unit || "";
    var points = data.points || [];
    var hasTarget = data.target !== undefined && data.target !== null;
    var values = points.map(function (p) { return p[1]; });
    var top = Math.max.apply(null, values.concat(hasTarget ? [data.target] : [0]));
    var years = points.map(function (p) { return yearOf(p[0]); });
    var yearly = years.every(function (year, i) { return years.indexOf(year) === i; });
    var firstYear = years.length ? years[0] : new Date().getFullYear();
    var lastYear = years.length ? years[years.length - 1] : firstYear;
    var endYear = Math.max(lastYear, data.target_year || lastYear);
    var xAxis;
    var lineData;
    var targetPoint = null;
    if (yearly) {
      var categories = [];
      for (var y = firstYear; y <= endYear; y += 1) {
        categories.push(String(y));
      }
      lineData = categories.map(function (year) {
        var i = years.indexOf(parseInt(year, 10));
        return i === -1 ? null : values[i];
      });
      xAxis = { type: "category", data: categories, boundaryGap: true, axisLabel: { hideOverlap: true } };
      if (hasTarget && data.target_year) {
        targetPoint = [String(data.target_year), data.target];
      }
    } else {
      lineData = points;
      xAxis = {
        type: "time",
        min: firstYear + "-01-01",
        max: (endYear + 1) + "-01-01",
        axisLabel: { formatter: "{yyyy}", hideOverlap: true },
        splitLine: { show: false }
      };
      if (hasTarget && data.target_year) {
        targetPoint = [data.target_year + "-12-31", data.target];
      }
    }
    function valueOf(p) {
      return Array.isArray(p.value) ? p.value[1] : p.value;
    }
    var series = [{
      name: data.label,
      type: "line",
      data: lineData,
      connectNulls: true,
      symbolSize: 8,
      lineStyle: { width: 3, color: "#0b4a8b" },
      itemStyle: { color: "#0b4a8b" },
      label: { show: true, position: "top", formatter: function (p) { return valueOf(p) + unit; } }
    }];
    if (hasTarget) {
      series[0].markLine = {
        silent: true,
        symbol: "none",
        lineStyle: { type: "dashed", color: COLORS.red, width: 2 },
        label: { position: "insideStartTop", color: COLORS.red, formatter: data.target_label },
        data: [{ yAxis: data.target }]
      };
      if (targetPoint) {
        series.push({
          name: data.target_label,
          type: "scatter",
          symbol: "diamond",
          symbolSize: 12,
          itemStyle: { color: COLORS.red },
          label: { show: true, position: "bottom", color: COLORS.red, formatter: String(data.target_year) },
          data: [targetPoint]
        });
      }
    }
    return merge(base(), {
      tooltip: {
        trigger: "item",
        confine: true,
        formatter: function (p) {
          if (p.seriesType === "scatter") {
            return echarts.format.encodeHTML(p.seriesName) + " (" + data.target_year + ")";
          }
          var when = Array.isArray(p.value) ? p.value[0] : p.name;
          return when + "<br>" + echarts.format.encodeHTML(p.seriesName) + ": " + valueOf(p) + unit;
        }
      },
      grid: { left: 8, right: 24, top: 28, bottom: 8, containLabel: true },
      xAxis: xAxis,
      yAxis: { type: "value", min: 0, max: Math.ceil(top * 1.2), axisLabel: { formatter: "{value}" + unit } },
      series: series
    });
  }

  var BUILDERS = {
    lights: function (data) { return lightsOption(data.lights); },
    progress: function (data) { return progressOption(data.progress); },
    scorecard: function (data) { return scorecardOption(data.scorecard); },
    history: historyOption
  };

  function sizeFor(element, kind) {
    if (kind === "scorecard") {
      var rows = parseInt(element.getAttribute("data-kx-rows"), 10) || 1;
      element.style.height = Math.max(220, rows * 34 + 90) + "px";
    }
  }

  document.querySelectorAll("[data-kx-chart]").forEach(function (element) {
    var kind = element.getAttribute("data-kx-chart");
    var data = readData(element.getAttribute("data-kx-data"));
    var build = BUILDERS[kind];
    if (!data || !build) {
      return;
    }
    sizeFor(element, kind);
    var chart = echarts.init(element, null, { locale: LOCALE, renderer: "canvas" });
    chart.setOption(build(data));
    if (kind === "progress" && data.progress && data.progress.urls) {
      chart.on("click", function (params) {
        var url = data.progress.urls[params.dataIndex];
        if (url) {
          window.location.href = url;
        }
      });
    }
    element.setAttribute("data-kx-ready", "1");
    charts.push(chart);
  });

  var pending = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(function () {
      charts.forEach(function (chart) { chart.resize(); });
    }, 120);
  });
})();

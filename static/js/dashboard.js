// The reviewer's dashboard charts (templates/evaluations/review/dashboard.html). The figures come
// from the page's <script type="application/json" id="dashboard-data"> (json_script), never from
// inline code: the Content-Security-Policy allows our own script files only. Each chart's figures
// are also in a table under it, for screen readers and for browsers without JavaScript.
(function () {
  "use strict";

  var STATE_COLOURS = {
    draft: "#7b8794",
    submitted: "#0b5cad",
    returned: "#c77700",
    approved: "#1c7c3a",
    published: "#0e5a2a",
  };
  var CHARTS = { progress: progress, scores: scores, grades: grades, scatter: scatter };

  function progress(data) {
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0, type: "scroll" },
      grid: { left: 40, right: 16, top: 48, bottom: 32 },
      xAxis: { type: "category", data: data.days, boundaryGap: false },
      yAxis: { type: "value", minInterval: 1 },
      series: data.series.map(function (series) {
        return {
          name: series.name,
          type: "line",
          stack: "states",
          areaStyle: {},
          // One day alone has no line to draw: its points are shown instead.
          symbol: data.days.length > 1 ? "none" : "circle",
          color: STATE_COLOURS[series.state],
          data: series.data,
        };
      }),
    };
  }

  function scores(data) {
    return {
      tooltip: { trigger: "axis" },
      grid: { left: 40, right: 16, top: 16, bottom: 48 },
      xAxis: { type: "category", data: data.labels, axisLabel: { rotate: 30 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ name: data.name, type: "bar", color: "#0b5cad", data: data.counts }],
    };
  }

  function grades(data) {
    return {
      tooltip: { trigger: "axis" },
      grid: { left: 40, right: 16, top: 16, bottom: 32 },
      xAxis: { type: "category", data: data.grades },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ name: data.name, type: "bar", color: "#1c7c3a", data: data.counts }],
    };
  }

  function scatter(data) {
    var all = data.within.concat(data.beyond);
    var top = Math.max.apply(null, [100].concat(all.map(function (p) { return Math.max(p[0], p[1]); })));
    var tooltip = function (point) {
      var value = point.value;
      // Department names are text: escaped before echarts puts the tooltip in the page.
      return window.echarts.format.encodeHTML(value[2]) + "<br>" + data.names.computed + " " + value[0] + " · " + data.names.claimed + " " + value[1];
    };
    return {
      tooltip: { trigger: "item", formatter: tooltip },
      legend: { top: 0, type: "scroll" },
      grid: { left: 48, right: 24, top: 40, bottom: 40 },
      xAxis: { type: "value", name: data.names.computed, nameLocation: "middle", nameGap: 26, min: 0, max: Math.ceil(top) },
      yAxis: { type: "value", name: data.names.claimed, nameLocation: "middle", nameGap: 34, min: 0, max: Math.ceil(top) },
      series: [
        { name: data.names.within, type: "scatter", symbol: "circle", symbolSize: 9, color: "#0b5cad", data: data.within },
        { name: data.names.beyond, type: "scatter", symbol: "triangle", symbolSize: 13, color: "#b3261e", data: data.beyond },
        {
          // The diagonal: where the claimed score equals the computed one.
          type: "line", silent: true, symbol: "none", color: "#9aa5b1",
          lineStyle: { type: "dashed", width: 1 }, data: [[0, 0], [Math.ceil(top), Math.ceil(top)]],
          tooltip: { show: false },
        },
      ],
    };
  }

  function draw() {
    var source = document.getElementById("dashboard-data");
    if (!source || typeof window.echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var drawn = [];
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var make = CHARTS[element.dataset.chart];
      if (!make || !data[element.dataset.chart]) return;
      var chart = window.echarts.init(element);
      chart.setOption(make(data[element.dataset.chart]));
      drawn.push(chart);
    });
    window.addEventListener("resize", function () {
      drawn.forEach(function (chart) { chart.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();

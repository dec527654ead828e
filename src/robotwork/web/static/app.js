/* robotwork dashboard charts: each <div data-chart="kind"> holds its payload as JSON (built by the
   server, labels already in the page language); a builder below turns it into ECharts options.
   A bar or node with a URL opens the page of the evidence behind it. */
(function () {
  "use strict";
  var zh = document.documentElement.lang.indexOf("zh") === 0;
  var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var INK = "#4a5563", LINE = "#dfe3e8", RED = "#a8201a", GOLD = "#c9a227", GREEN = "#1e7a46";
  var LEVEL_COLORS = ["#9aa4b2", "#6b7a90", "#2f6db3", "#0f766e", "#a8201a"];
  var MODE_COLORS = {
    autonomous_hours: "#0f766e", teleoperated_hours: "#2f6db3", scripted_hours: GOLD,
    idle_hours: "#d5dae1", flagged_operating_hours: "#e0847c",
    tasks_succeeded: GREEN, tasks_failed: "#b42318", tasks_aborted: "#b7791f", interventions: "#6b2fa0"
  };
  var axisStyle = { axisLine: { lineStyle: { color: LINE } }, axisLabel: { color: INK }, splitLine: { lineStyle: { color: "#eef0f3" } } };
  var textStyle = { fontFamily: getComputedStyle(document.body).fontFamily };

  function merge(a, b) { var o = {}, k; for (k in a) o[k] = a[k]; for (k in b) o[k] = b[k]; return o; }

  var builders = {
    autonomy: function (d) {
      return {
        textStyle: textStyle,
        grid: { left: 40, right: 16, top: 24, bottom: 48 },
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        xAxis: merge(axisStyle, { type: "category", data: d.categories, axisLabel: { color: INK, interval: 0, width: 80, overflow: "break" } }),
        yAxis: merge(axisStyle, { type: "value", minInterval: 1 }),
        series: [{
          type: "bar", name: d.series, barWidth: "55%", cursor: "pointer",
          label: { show: true, position: "top", color: INK },
          data: d.values.map(function (v, i) { return { value: v, url: d.urls[i], itemStyle: { color: LEVEL_COLORS[i] } }; })
        }]
      };
    },
    payoff: function (d) {
      return {
        textStyle: textStyle,
        legend: { bottom: 0, textStyle: { color: INK } },
        grid: { left: 56, right: 64, top: 36, bottom: 60 },
        tooltip: { trigger: "axis" },
        xAxis: merge(axisStyle, { type: "category", data: d.categories }),
        yAxis: [
          merge(axisStyle, { type: "value", name: d.labels.rate, nameTextStyle: { color: RED, align: "left" }, min: 0 }),
          merge(axisStyle, { type: "value", name: d.labels.cumulative, nameTextStyle: { color: "#2f6db3", align: "right" }, splitLine: { show: false } })
        ],
        series: [
          { type: "line", name: d.labels.cumulative, yAxisIndex: 1, data: d.cumulative, smooth: true, symbol: "none",
            lineStyle: { color: "#2f6db3", width: 1.5 }, itemStyle: { color: "#2f6db3" },
            areaStyle: { color: { type: "linear", x: 0, y: 0, x2: 0, y2: 1, colorStops: [{ offset: 0, color: "rgba(47,109,179,.28)" }, { offset: 1, color: "rgba(47,109,179,.02)" }] } } },
          { type: "bar", name: d.labels.hours, yAxisIndex: 1, data: d.hours, barWidth: "30%", itemStyle: { color: "rgba(47,109,179,.35)" } },
          { type: "line", name: d.labels.rate, yAxisIndex: 0, data: d.rate, symbolSize: 7, lineStyle: { color: RED, width: 2.5 }, itemStyle: { color: RED },
            label: { show: true, position: "top", color: RED, formatter: function (p) { return p.value == null ? "" : p.value.toFixed(2); } } }
        ]
      };
    },
    timeline: function (d) {
      var hours = d.hours.map(function (s) {
        return { type: "bar", name: s.name, stack: "hours", data: s.values, xAxisIndex: 0, yAxisIndex: 0, itemStyle: { color: MODE_COLORS[s.key] } };
      });
      var idleOff = {};  // idle time dwarfs the operating modes: in the legend, off at first
      d.hours.forEach(function (s) { if (s.key === "idle_hours") idleOff[s.name] = false; });
      var counts = d.counts.map(function (s) {
        var line = s.key === "interventions";
        return { type: line ? "line" : "bar", name: s.name, stack: line ? undefined : "tasks", data: s.values, xAxisIndex: 1, yAxisIndex: 1,
          itemStyle: { color: MODE_COLORS[s.key] }, lineStyle: line ? { color: MODE_COLORS[s.key] } : undefined, symbolSize: 5 };
      });
      return {
        textStyle: textStyle,
        legend: { top: 0, textStyle: { color: INK }, selected: idleOff },
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        axisPointer: { link: [{ xAxisIndex: "all" }] },
        grid: [{ left: 56, right: 24, top: 40, height: "40%" }, { left: 56, right: 24, top: "62%", bottom: 56 }],
        xAxis: [merge(axisStyle, { type: "category", data: d.categories, gridIndex: 0, axisLabel: { show: false } }),
                merge(axisStyle, { type: "category", data: d.categories, gridIndex: 1 })],
        yAxis: [merge(axisStyle, { type: "value", name: d.labels.hours, gridIndex: 0, nameTextStyle: { color: INK } }),
                merge(axisStyle, { type: "value", name: d.labels.count, gridIndex: 1, minInterval: 1, nameTextStyle: { color: INK } })],
        dataZoom: [{ type: "slider", xAxisIndex: [0, 1], bottom: 8, height: 18 }],
        series: hours.concat(counts)
      };
    },
    declared: function (d) {
      return {
        textStyle: textStyle,
        legend: { top: 0, textStyle: { color: INK } },
        grid: { left: 40, right: 16, top: 32, bottom: 64 },
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" },
          formatter: function (ps) { var i = ps[0].dataIndex; return d.titles[i] + "<br>" + ps.map(function (p) { return p.marker + p.seriesName + ": " + p.value; }).join("<br>"); } },
        xAxis: merge(axisStyle, { type: "category", data: d.categories, axisLabel: { color: INK, rotate: 35, fontSize: 10 } }),
        yAxis: merge(axisStyle, { type: "value", minInterval: 1 }),
        series: [
          { type: "bar", name: d.labels.declared, data: d.declared.map(function (v, i) { return { value: v, url: d.urls[i] }; }), itemStyle: { color: "#d9a441" }, cursor: "pointer" },
          { type: "bar", name: d.labels.verified, data: d.verified.map(function (v, i) { return { value: v, url: d.urls[i] }; }), itemStyle: { color: GREEN }, cursor: "pointer" }
        ]
      };
    },
    graph: function (d) {
      // Fixed places from the server (`views/graph_layout.py`): the same picture on every load,
      // fitted inside the box with a margin of the largest node's radius, the legend above it.
      return {
        textStyle: textStyle,
        legend: { top: 0, data: d.categories.map(function (c) { return c.name; }), textStyle: { color: INK } },
        tooltip: { formatter: function (p) { return p.dataType === "node" ? p.data.name + (p.data.key !== p.data.name ? "<br><span style='color:#7a8594'>" + p.data.key + "</span>" : "") : ""; } },
        animation: false,
        series: [{
          type: "graph", layout: "none", roam: true, cursor: "pointer",
          top: 48, bottom: 24, left: 24, right: 24,
          categories: d.categories,
          label: { show: false, position: "bottom", fontSize: 11, color: "#1d2733" },
          labelLayout: { hideOverlap: true },
          emphasis: { focus: "adjacency", label: { show: true } },
          lineStyle: { color: "#b9c0ca", width: 1, opacity: 0.7 },
          data: d.nodes.map(function (n) {
            return { id: n.id, name: n.name, key: n.key, url: n.url, category: n.category, x: n.x, y: n.y,
              symbolSize: n.size, label: { show: d.nodes.length <= 60 || n.size >= 30 } };
          }),
          links: d.links
        }]
      };
    }
  };

  // The graph's search box: the node whose name or id holds the words is highlighted, its tip shown.
  function findNode(el, text) {
    var chart = window.echarts && echarts.getInstanceByDom(el);
    if (!chart || !text) return;
    var data = chart.getOption().series[0].data, q = text.toLowerCase();
    for (var i = 0; i < data.length; i++) {
      if ((data[i].name + " " + data[i].key).toLowerCase().indexOf(q) >= 0) {
        chart.dispatchAction({ type: "downplay", seriesIndex: 0 });
        chart.dispatchAction({ type: "highlight", seriesIndex: 0, dataIndex: i });
        chart.dispatchAction({ type: "showTip", seriesIndex: 0, dataIndex: i });
        el.setAttribute("data-found", data[i].id);
        return;
      }
    }
    el.setAttribute("data-found", "");
  }
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form.matches && form.matches("form.list-controls")) {  // "any" is a parameter left out
      Array.prototype.forEach.call(form.elements, function (el) { if (el.name && el.value === "") el.disabled = true; });
      return;
    }
    if (!form.matches || !form.matches("form[data-graph-search]")) return;
    e.preventDefault();
    findNode(document.querySelector(".chart[data-chart=graph]"), form.querySelector("input").value.trim());
  });

  function draw(el) {
    var source = el.querySelector("script[type='application/json']");
    var build = builders[el.getAttribute("data-chart")];
    if (!source || !build || !window.echarts) return;
    var payload = JSON.parse(source.textContent);
    var chart = echarts.init(el, null, { locale: zh ? "ZH" : "EN", renderer: "canvas" });
    var option = build(payload);
    if (still) option.animation = false;
    chart.setOption(option);
    chart.on("click", function (p) { if (p.data && p.data.url) window.location.href = p.data.url; });
    chart.on("finished", function () { el.setAttribute("data-ready", "1"); });  // drawn and animated
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), draw);
  });
})();

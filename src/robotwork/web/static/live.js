// The live page follows /api/v1/live/stream (server-sent events): counts and the robot table
// are redrawn from each event, so the page stays current without a reload.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("live-config").textContent);
  var words = config.words;

  function cell(text, cls) {
    var td = document.createElement("td");
    if (cls) td.className = cls;
    td.textContent = text === null || text === undefined || text === "" ? "—" : String(text);
    return td;
  }

  function robotRow(r) {
    var tr = document.createElement("tr");
    tr.dataset.serial = r.robot_serial;
    tr.className = "live-" + r.status;
    var link = document.createElement("a");
    link.href = "/robot/" + encodeURIComponent(r.robot_serial);
    link.textContent = r.robot_serial;
    var first = document.createElement("td");
    first.appendChild(link);
    tr.appendChild(first);
    [words[r.status] || r.status, r.connection, r.control_mode, r.task, r.scenario_id, r.province].forEach(function (v) {
      tr.appendChild(cell(v));
    });
    tr.appendChild(cell(r.battery, "num"));
    tr.appendChild(cell(r.last_seen));
    tr.appendChild(cell(r.status_since));
    tr.appendChild(cell((r.errors || []).map(function (e) { return e.code; }).join(", ")));
    return tr;
  }

  function link(href, text) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  }

  function countsTable(id, counts, param) {
    var body = document.querySelector("#" + id + " tbody");
    if (!body) return;
    var rows = document.createDocumentFragment();
    Object.keys(counts).sort().forEach(function (key) {
      var tr = document.createElement("tr");
      var first = document.createElement("td");
      first.appendChild(link("/live?" + param + "=" + encodeURIComponent(key), key));
      tr.appendChild(first);
      config.statuses.forEach(function (s) { tr.appendChild(cell(counts[key][s] || 0, "num")); });
      rows.appendChild(tr);
    });
    body.replaceChildren(rows);
  }

  function alertList(alerts) {
    var list = document.querySelector("#live-alerts ul");
    if (!list) return;
    var items = document.createDocumentFragment();
    alerts.forEach(function (a) {
      var li = document.createElement("li");
      li.className = "bad";
      li.appendChild(link("/robot/" + encodeURIComponent(a.robot_serial), a.robot_serial));
      li.appendChild(document.createTextNode(": " + (config.alerts[a.kind] || a.kind) + " · " + a.since));
      items.appendChild(li);
    });
    if (!alerts.length) {
      var none = document.createElement("li");
      none.className = "muted";
      none.textContent = config.no_alerts;
      items.appendChild(none);
    }
    list.replaceChildren(items);
  }

  function draw(data) {
    Object.keys(data.counts.by_status).forEach(function (s) {
      var el = document.querySelector('#live-counts [data-status="' + s + '"]');
      if (el) el.textContent = data.counts.by_status[s];
    });
    var robots = document.querySelector('[data-count="robots"]');
    if (robots) robots.textContent = data.counts.total;
    var alerts = document.querySelector('[data-count="alerts"]');
    if (alerts) alerts.textContent = data.alerts.length;
    countsTable("live-by-province", data.counts.by_province, "province");
    countsTable("live-by-scenario", data.counts.by_scenario, "scenario");
    alertList(data.alerts);
    var body = document.querySelector("#live-robots tbody");
    var rows = document.createDocumentFragment();
    data.robots.forEach(function (r) { rows.appendChild(robotRow(r)); });
    body.replaceChildren(rows);
    var none = document.getElementById("live-none");
    if (none) none.hidden = data.robots.length > 0;
    document.getElementById("live-updated").dataset.at = new Date().toISOString();
  }

  var source = new EventSource(config.stream);
  source.addEventListener("live", function (event) { draw(JSON.parse(event.data)); });
})();

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

  function draw(data) {
    Object.keys(data.counts.by_status).forEach(function (s) {
      var el = document.querySelector('#live-counts [data-status="' + s + '"]');
      if (el) el.textContent = data.counts.by_status[s];
    });
    var robots = document.querySelector('[data-count="robots"]');
    if (robots) robots.textContent = data.counts.total;
    var alerts = document.querySelector('[data-count="alerts"]');
    if (alerts) alerts.textContent = data.alerts.length;
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

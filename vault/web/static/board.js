// Alarm board: keeps the open alarms and station health live from the server's event stream.
// Rows are built with textContent only, so nothing from the database is ever parsed as HTML.
"use strict";

(function () {
  const csrf = document.querySelector('meta[name="csrf"]').content;
  // The guard-room screen is shared: its forms also ask who is acknowledging.
  const kiosk = document.querySelector('meta[name="kiosk"]').content === "1";
  const rows = document.getElementById("alarm-rows");
  const count = document.getElementById("alarm-count");
  const none = document.getElementById("no-alarms");
  const stationList = document.getElementById("stations");
  const live = document.getElementById("live");
  const seen = new Set(Array.from(rows.querySelectorAll("tr")).map((tr) => tr.dataset.alarmId));

  function cell(tr, cls, text) {
    const td = document.createElement("td");
    td.className = cls;
    td.textContent = text;
    tr.appendChild(td);
  }

  function ackForm(alarm) {
    const td = document.createElement("td");
    const form = document.createElement("form");
    form.method = "post";
    form.action = "/alarms/" + alarm.id + "/ack";
    form.className = "ack";
    const token = document.createElement("input");
    token.type = "hidden";
    token.name = "csrf";
    token.value = csrf;
    const fields = [token];
    if (kiosk) {
      const by = document.createElement("input");
      by.name = "by";
      by.required = true;
      by.placeholder = "Your name";
      by.setAttribute("aria-label", "Your name, for alarm " + alarm.id);
      fields.push(by);
    }
    const note = document.createElement("input");
    note.name = "note";
    note.required = true;
    note.placeholder = "What was done";
    note.setAttribute("aria-label", "Note for alarm " + alarm.id);
    const button = document.createElement("button");
    button.type = "submit";
    button.textContent = "Acknowledge";
    form.append(...fields, note, button);
    td.appendChild(form);
    return td;
  }

  function alarmRow(alarm) {
    const tr = document.createElement("tr");
    tr.className = "alarm " + alarm.severity;
    tr.dataset.alarmId = String(alarm.id);
    cell(tr, "time", alarm.at);
    cell(tr, "rule", alarm.rule);
    cell(tr, "code", alarm.code);
    cell(tr, "title", alarm.title);
    cell(tr, "marking", alarm.marking || alarm.classification);
    cell(tr, "station", alarm.station);
    cell(tr, "holder", alarm.holder);
    cell(tr, "reason", alarm.reason);
    tr.appendChild(ackForm(alarm));
    if (!seen.has(tr.dataset.alarmId)) {
      tr.classList.add("new");
      document.body.classList.add("flash");
      setTimeout(() => document.body.classList.remove("flash"), 1500);
    }
    return tr;
  }

  function showAlarms(alarms) {
    // Keep a row the guard is typing a note into; replace the rest.
    const typing = document.activeElement && document.activeElement.closest("tr[data-alarm-id]");
    const fresh = alarms.map((a) =>
      typing && typing.dataset.alarmId === String(a.id) ? typing : alarmRow(a));
    rows.replaceChildren(...fresh);
    alarms.forEach((a) => seen.add(String(a.id)));
    count.textContent = String(alarms.length);
    none.hidden = alarms.length > 0;
  }

  function showStations(stations) {
    stationList.replaceChildren(...stations.map((s) => {
      const li = document.createElement("li");
      li.className = "station " + s.status;
      for (const [cls, text] of [["id", s.id], ["kind", s.kind], ["status", s.status], ["detail", s.detail]]) {
        const span = document.createElement("span");
        span.className = cls;
        span.textContent = text;
        li.append(span, " ");
      }
      return li;
    }));
  }

  const stream = new EventSource("/api/alarms/events");
  stream.addEventListener("open", () => {
    live.textContent = "Live";
    live.className = "live on";
  });
  stream.addEventListener("error", () => {
    live.textContent = "Connection to Vault lost; reconnecting…";
    live.className = "live off";
    // The server refused the stream (the session ended): reload, which leads to the sign-in.
    if (stream.readyState === EventSource.CLOSED) setTimeout(() => location.reload(), 3000);
  });
  stream.addEventListener("signedout", () => {
    stream.close();
    location.assign("/signin?next=" + encodeURIComponent(location.pathname));
  });
  stream.addEventListener("board", (event) => {
    const board = JSON.parse(event.data);
    showAlarms(board.alarms);
    showStations(board.stations);
  });
})();

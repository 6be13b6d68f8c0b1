// Alarm board: keeps the open alarms and station health live from the server's event stream,
// flashes the screen when an alarm arrives and, once armed, sounds the alarm tone.
// Rows are built with textContent only, so nothing from the database is ever parsed as HTML.
// Words come from the page's data- attributes, which the server wrote in the viewer's language.
"use strict";

(function () {
  const board = document.getElementById("board");
  const words = board.dataset;
  const terms = JSON.parse(words.terms || "{}");
  const term = (text) => terms[text] || text;
  const csrf = document.querySelector('meta[name="csrf"]').content;
  // The guard-room screen is shared: its forms also ask who is acknowledging.
  const kiosk = document.querySelector('meta[name="kiosk"]').content === "1";
  const rows = document.getElementById("alarm-rows");
  const count = document.getElementById("alarm-count");
  const none = document.getElementById("no-alarms");
  const stationList = document.getElementById("stations");
  const live = document.getElementById("live");
  const seen = new Set(Array.from(rows.querySelectorAll("tr")).map((tr) => tr.dataset.alarmId));
  const tone = alarmTone();

  function cell(tr, cls, text) {
    const td = document.createElement("td");
    td.className = cls;
    td.textContent = text;
    tr.appendChild(td);
  }

  function input(name, label, alarm) {
    const field = document.createElement("input");
    field.name = name;
    field.required = true;
    field.placeholder = label;
    field.setAttribute("aria-label", label + " (" + alarm.id + ")");
    return field;
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
    if (kiosk) fields.push(input("by", words.yourName, alarm));
    const button = document.createElement("button");
    button.type = "submit";
    button.textContent = words.acknowledge;
    form.append(...fields, input("note", words.note, alarm), button);
    td.appendChild(form);
    return td;
  }

  function alarmRow(alarm) {
    const tr = document.createElement("tr");
    tr.className = "alarm " + alarm.severity;
    tr.dataset.alarmId = String(alarm.id);
    tr.dataset.severity = alarm.severity;
    cell(tr, "time", alarm.at);
    cell(tr, "severity", term(alarm.severity));
    cell(tr, "rule", term(alarm.rule));
    cell(tr, "code", alarm.code);
    cell(tr, "title", alarm.title);
    cell(tr, "marking", alarm.marking || term(alarm.classification));
    cell(tr, "station", alarm.station);
    cell(tr, "holder", alarm.holder);
    cell(tr, "reason", alarm.reason);
    tr.appendChild(ackForm(alarm));
    if (!seen.has(tr.dataset.alarmId)) tr.classList.add("new");
    return tr;
  }

  function flash() {
    document.body.classList.remove("flash");
    void document.body.offsetWidth; // restart the animation for an alarm during a flash
    document.body.classList.add("flash");
    document.body.dataset.flashes = String(Number(document.body.dataset.flashes || 0) + 1);
    setTimeout(() => document.body.classList.remove("flash"), 1500);
  }

  function showAlarms(alarms) {
    const arrived = alarms.filter((a) => !seen.has(String(a.id)));
    // Keep a row the guard is typing a note into; replace the rest.
    const typing = document.activeElement && document.activeElement.closest("tr[data-alarm-id]");
    const fresh = alarms.map((a) =>
      typing && typing.dataset.alarmId === String(a.id) ? typing : alarmRow(a));
    rows.replaceChildren(...fresh);
    alarms.forEach((a) => seen.add(String(a.id)));
    count.textContent = String(alarms.length);
    none.hidden = alarms.length > 0;
    if (arrived.length) flash();
    tone.update(alarms, arrived.length > 0);
  }

  function showStations(stations) {
    stationList.replaceChildren(...stations.map((s) => {
      const li = document.createElement("li");
      li.className = "station " + s.status;
      for (const [cls, text] of [["id", s.id], ["kind", term(s.kind)], ["status", term(s.status)], ["detail", s.detail]]) {
        const span = document.createElement("span");
        span.className = cls;
        span.textContent = text;
        li.append(span, " ");
      }
      const figures = document.createElement("span");
      figures.className = "figures";
      figures.textContent = [
        [words.frames, s.frames], [words.reads, s.reads], [words.rejected, s.rejected],
        [words.backlog, s.backlog], [words.lastRead, s.last_read_at || "—"],
      ].map(([label, value]) => label + " " + value).join(" · ");
      li.append(figures);
      return li;
    }));
  }

  // The alarm tone. Browsers let a page make sound only after a click, so the guard arms it
  // once at the start of a shift. A new alarm beeps once; while a critical alarm stays open and
  // unacknowledged the tone repeats, until "Silence" (a later critical alarm sounds again).
  function alarmTone() {
    const arm = document.getElementById("arm-tone");
    const silence = document.getElementById("silence");
    const state = document.getElementById("tone-state");
    let audio = null;
    let repeating = null;
    let silenced = new Set();
    let critical = [];

    function beep() {
      if (!audio) return;
      const start = audio.currentTime;
      for (const [offset, pitch] of [[0, 880], [0.25, 660], [0.5, 880]]) {
        const osc = audio.createOscillator();
        const gain = audio.createGain();
        osc.type = "square";
        osc.frequency.value = pitch;
        gain.gain.setValueAtTime(0.3, start + offset);
        gain.gain.exponentialRampToValueAtTime(0.001, start + offset + 0.22);
        osc.connect(gain).connect(audio.destination);
        osc.start(start + offset);
        osc.stop(start + offset + 0.22);
      }
      document.body.dataset.beeps = String(Number(document.body.dataset.beeps || 0) + 1);
    }

    function repeat(on) {
      if (on && !repeating) {
        beep();
        repeating = setInterval(beep, 2000);
      } else if (!on && repeating) {
        clearInterval(repeating);
        repeating = null;
      }
      document.body.dataset.tone = on ? "on" : "off";
      silence.hidden = !on;
    }

    arm.hidden = false;
    arm.addEventListener("click", () => {
      audio = audio || new AudioContext();
      audio.resume().then(() => {
        document.body.dataset.audio = audio.state;
        document.body.dataset.armed = "1";
        arm.hidden = true;
        state.textContent = words.armed;
        update(null, false);
      });
    });
    silence.addEventListener("click", () => {
      silenced = new Set(critical);
      repeat(false);
    });

    function update(alarms, arrived) {
      if (alarms) critical = alarms.filter((a) => a.severity === "critical").map((a) => a.id);
      if (!audio) return;
      const sounding = critical.some((id) => !silenced.has(id));
      if (arrived && !sounding) beep();
      repeat(sounding);
    }

    return { update: update };
  }

  window.vaultLive("/api/alarms/events", live, words, {
    board: (board) => {
      showAlarms(board.alarms);
      showStations(board.stations);
    },
  });
})();

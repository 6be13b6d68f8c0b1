// Desk: a keyboard-wedge scanner types a code and Enter into the scan input; each scan is posted
// and its answer put at the top of the list, with a short tone. The serial scanner's scans
// arrive by the event stream into the same list. Text comes from the page's data- attributes
// (translated by the server) and is placed with textContent only, never parsed as HTML.
"use strict";

(function () {
  const desk = document.getElementById("desk");
  if (!desk) return; // no desk station configured
  const words = desk.dataset;
  const station = words.station;
  const csrf = document.querySelector('meta[name="csrf"]').content;
  const form = document.getElementById("scan-form");
  const input = document.getElementById("scan");
  const reader = document.getElementById("reader");
  const answers = document.getElementById("answers");
  const live = document.getElementById("desk-live");
  let audio = null;

  // Short tones made on the spot (no audio files): a high beep to accept, a low buzz to refuse.
  function tone(accepted) {
    try {
      audio = audio || new AudioContext();
      if (audio.state === "suspended") audio.resume();
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      const start = audio.currentTime;
      const length = accepted ? 0.12 : 0.45;
      osc.type = accepted ? "sine" : "square";
      osc.frequency.value = accepted ? 1320 : 196;
      gain.gain.setValueAtTime(0.25, start);
      gain.gain.exponentialRampToValueAtTime(0.001, start + length);
      osc.connect(gain).connect(audio.destination);
      osc.start(start);
      osc.stop(start + length);
      desk.dataset.lastTone = accepted ? "accept" : "refuse";
    } catch (error) {
      desk.dataset.lastTone = "unavailable"; // no sound device: the words and colours remain
    }
  }

  function span(li, cls, text) {
    if (!text) return;
    const s = document.createElement("span");
    s.className = cls;
    s.textContent = text;
    li.append(s, " ");
  }

  function show(answer, serial) {
    const li = document.createElement("li");
    li.className = "answer " + (answer.accepted ? "accepted" : "refused");
    li.dataset.event = answer.event;
    li.dataset.code = answer.code || "";
    const head = document.createElement("p");
    head.className = "verdict";
    span(head, "word", answer.accepted ? words.accepted : words.refused);
    span(head, "message", answer.message_shown || answer.message);
    li.append(head);
    span(li, "code", answer.code);
    span(li, "title", answer.title);
    span(li, "marking", answer.marking);
    span(li, "state", answer.state_shown || answer.state);
    if (answer.holder) span(li, "holder", words.holder + ": " + answer.holder);
    if (serial) span(li, "source", words.serial);
    answers.prepend(li);
    tone(answer.accepted);
  }

  function serve(name) {
    if (![...reader.options].some((o) => o.value === name)) reader.add(new Option(name, name));
    reader.value = name;
    const li = document.createElement("li");
    li.className = "answer reader";
    li.dataset.event = "reader";
    const head = document.createElement("p");
    head.className = "verdict";
    span(head, "word", words.serving);
    span(head, "message", name);
    li.append(head);
    answers.prepend(li);
    tone(true);
  }

  // A folder issued only with a second member of staff: the desk refuses the scan and says so;
  // the page then asks for that person's username and password and sends the same scan again.
  const witnessForm = document.getElementById("witness-form");
  const witness = document.getElementById("witness");
  const witnessPassword = document.getElementById("witness-password");
  let pending = null; // the scan waiting for the second member of staff

  function askWitness(code) {
    pending = { code: code, reader: reader.value };
    witnessForm.hidden = false;
    witness.focus();
  }

  function closeWitness() {
    pending = null;
    witnessPassword.value = "";
    witnessForm.hidden = true;
    input.focus();
  }

  async function send(code, extra) {
    let answer;
    const body = Object.assign({ code: code, reader: reader.value, station: station }, extra || {});
    try {
      const response = await fetch("/api/desk/scan", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify(body),
      });
      answer = await response.json();
      if (!response.ok) answer = { accepted: false, event: "error", code: code, message: answer.error };
    } catch (error) {
      answer = { accepted: false, event: "error", code: code, message: words.failed };
    }
    if (answer.event === "reader") serve(answer.reader);
    else show(answer, false);
    if (answer.needs_witness) askWitness(code);
    else input.focus();
  }

  if (form) {
    // Scans are answered in the order they were made, even when the scanner is quicker than Vault.
    let queue = Promise.resolve();
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const code = input.value.trim();
      input.value = "";
      if (code) queue = queue.then(() => send(code));
    });
    witnessForm.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!pending) return;
      const scan = pending;
      const extra = { witness: witness.value.trim(), witness_password: witnessPassword.value };
      reader.value = scan.reader;
      closeWitness();
      queue = queue.then(() => send(scan.code, extra));
    });
    document.getElementById("witness-cancel").addEventListener("click", closeWitness);
    // The scanner types wherever the focus is: bring it back unless the archivist moved it to
    // another control on purpose (the reader list, a link, by Tab).
    input.addEventListener("blur", (event) => {
      if (!event.relatedTarget && !pending) setTimeout(() => input.focus(), 0);
    });
    reader.addEventListener("change", () => input.focus());
    input.focus();
  }

  window.vaultLive("/api/desk/events?station=" + encodeURIComponent(station), live, words, {
    scan: (answer) => show(answer, true),
  });
})();

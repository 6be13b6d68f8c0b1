// Administration: keeps the stations' live figures fresh by asking /api/admin/stations every
// few seconds. Cells are filled with textContent only, so nothing from the database is parsed
// as HTML. The words come already translated from the server (status_shown, detail_shown).
"use strict";

(function () {
  const live = document.getElementById("live");
  if (!live) return;
  const seconds = Number(live.dataset.refresh) || 5;

  function show(station) {
    const row = document.querySelector('tr[data-station="' + CSS.escape(station.id) + '"]');
    if (!row) return;
    row.className = "station-row " + station.status;
    row.querySelectorAll("td[data-field]").forEach((td) => {
      const value = station[td.dataset.field];
      td.textContent = value === undefined || value === null ? "" : String(value);
    });
  }

  async function refresh() {
    try {
      const answer = await fetch("/api/admin/stations", {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (answer.status === 401) {
        window.location.reload(); // signed out: the page sends the browser to sign in
        return;
      }
      if (!answer.ok) throw new Error(String(answer.status));
      (await answer.json()).stations.forEach(show);
      live.textContent = live.dataset.live;
    } catch (e) {
      live.textContent = live.dataset.lost;
    }
  }

  live.textContent = live.dataset.live;
  window.setInterval(refresh, seconds * 1000);
})();

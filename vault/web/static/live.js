// A page's live connection to Vault: shows whether it is live, reconnects (the browser does),
// reloads when the server refuses the stream, and goes to the sign-in form when the session ends.
// Used by the alarm board and the desk; loaded before their own scripts.
window.vaultLive = function (url, indicator, words, handlers) {
  const stream = new EventSource(url);
  stream.addEventListener("open", () => {
    indicator.textContent = words.live;
    indicator.className = "live on";
  });
  stream.addEventListener("error", () => {
    indicator.textContent = words.lost;
    indicator.className = "live off";
    // The server refused the stream (the session ended): reload, which leads to the sign-in.
    if (stream.readyState === EventSource.CLOSED) setTimeout(() => location.reload(), 3000);
  });
  stream.addEventListener("signedout", () => {
    stream.close();
    location.assign("/signin?next=" + encodeURIComponent(location.pathname + location.search));
  });
  for (const [name, handle] of Object.entries(handlers)) {
    stream.addEventListener(name, (event) => handle(JSON.parse(event.data)));
  }
  return stream;
};

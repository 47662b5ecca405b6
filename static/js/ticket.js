// The ticket page: keep it for offline use, and a print button.
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/t/sw.js", { scope: "/t/" }).catch(() => {});
}
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}

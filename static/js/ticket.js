// The ticket page: kept for offline use from its first visit, and a print button.
function pageUrls() {
  const urls = [location.href];
  for (const link of document.querySelectorAll("link[rel~=stylesheet], link[rel~=icon], link[rel=manifest]")) {
    urls.push(link.href);
  }
  for (const script of document.querySelectorAll("script[src]")) urls.push(script.src);
  for (const image of document.images) if (image.currentSrc || image.src) urls.push(image.currentSrc || image.src);
  return [...new Set(urls)];
}

async function keepForOffline() {
  await navigator.serviceWorker.register("/t/sw.js", { scope: "/t/" });
  const registration = await navigator.serviceWorker.ready;
  const channel = new MessageChannel();
  const answered = new Promise((resolve) => { channel.port1.onmessage = (event) => resolve(event.data); });
  registration.active.postMessage({ type: "keep", urls: pageUrls() }, [channel.port2]);
  const answer = await answered;
  if (answer && answer.kept) {
    document.documentElement.dataset.offline = "kept";
    const note = document.querySelector("[data-offline-kept]");
    if (note) note.hidden = false;
  }
}

if ("serviceWorker" in navigator) keepForOffline().catch(() => {});
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}

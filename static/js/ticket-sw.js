// Keeps the ticket pages this phone has opened (and their QR codes) for use with no signal.
const CACHE = "tickets-v1";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  const isTicket = url.pathname.startsWith("/t/") && !url.pathname.endsWith("/sw.js");
  const isStatic = url.pathname.startsWith("/static/");
  if (!isTicket && !isStatic) return;
  // network first (a cancelled ticket must show as cancelled), the kept copy when offline
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      })
      .catch(() => caches.match(request, { ignoreSearch: isStatic }))
  );
});

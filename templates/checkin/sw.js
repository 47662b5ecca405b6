// The check-in scanner's service worker: the page and its scripts stay on the phone.
// Navigation is network first (fresh guest names and CSRF token), the kept copy when offline;
// scripts and styles come from the phone and are refreshed behind. API calls are never touched: the page queues scans itself.
const CACHE = "checkin-v1";
const PAGE = {{ page|tojson }};
const ASSETS = {{ assets|tojson }};

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll([...ASSETS, PAGE])).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate" && url.pathname === PAGE) {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok && !response.redirected) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(PAGE, copy));
          }
          return response;
        })
        .catch(() => caches.match(PAGE))
    );
    return;
  }
  if (ASSETS.includes(url.pathname)) {
    // stale while revalidate: instant from the phone, refreshed for next time when online
    const refresh = fetch(request).then((response) => {
      if (response.ok) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(url.pathname, copy));
      }
      return response;
    });
    event.respondWith(
      caches.match(url.pathname).then((hit) => {
        if (hit) {
          refresh.catch(() => {});
          return hit;
        }
        return refresh;
      })
    );
  }
});

// Keeps the ticket pages this phone has opened (and their QR codes) for use with no signal.
// The page asks for itself to be kept as soon as this worker is ready (see ticket.js), so the
// very first visit is enough: the worker was not there yet to see that visit's requests.
const CACHE = "tickets-v2";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) =>
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith("tickets-") && key !== CACHE)
                                      .map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  )
);

function keepable(url) {
  if (url.origin !== self.location.origin) return false;
  if (url.pathname.startsWith("/static/")) return true;
  return url.pathname.startsWith("/t/") && !url.pathname.endsWith("/sw.js");
}

// {type: "keep", urls: [...]} from a ticket page: the page itself and what it shows
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "keep" || !Array.isArray(data.urls)) return;
  const urls = data.urls.map((href) => new URL(href, self.location.href)).filter(keepable);
  const reply = event.ports && event.ports[0];
  event.waitUntil(
    caches.open(CACHE)
      // only what is missing: once this worker controls the page, each visit refreshes it
      .then((cache) => Promise.all(urls.map((url) => cache.match(url).then((hit) => hit ||
        fetch(url, { credentials: "same-origin" }).then((response) => {
          if (response.ok && !response.redirected) return cache.put(url, response);
          throw new Error(`${url.pathname}: ${response.status}`);
        })))))
      .then(() => reply && reply.postMessage({ kept: urls.length }))
      .catch((error) => reply && reply.postMessage({ error: String(error) }))
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || !keepable(url)) return;
  const isStatic = url.pathname.startsWith("/static/");
  if (isStatic && url.searchParams.has("v")) {
    // a hashed URL never changes: the kept copy is as good as the network's
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
    return;
  }
  // network first (a cancelled ticket must show as cancelled), the kept copy when offline
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok && !response.redirected) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      })
      .catch(() => caches.match(request, { ignoreSearch: isStatic }).then((hit) => hit || Response.error()))
  );
});

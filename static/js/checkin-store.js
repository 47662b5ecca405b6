// What the scanner keeps on the phone (IndexedDB): scans waiting to be sent, and the guest
// lists of every place and tour the user may scan, for today and tomorrow. A scan is written here before anything else happens, so closing the page
// while offline loses nothing.
const DB_NAME = "checkin";
const DB_VERSION = 1;
let opening = null;

function open() {
  opening ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore("queue", { keyPath: "id", autoIncrement: true });
      db.createObjectStore("manifests", { keyPath: "key" });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => {
      opening = null;
      reject(request.error);
    };
  });
  return opening;
}

async function run(storeName, mode, action) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(storeName, mode);
    const result = action(tx.objectStore(storeName));
    tx.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

export const queue = {
  add: (scan) => run("queue", "readwrite", (store) => store.add(scan)),
  all: () => run("queue", "readonly", (store) => store.getAll()),
  count: () => run("queue", "readonly", (store) => store.count()),
  remove: (ids) => run("queue", "readwrite", (store) => ids.forEach((id) => store.delete(id))),
};

export const manifests = {
  key: (listingId, date) => `${listingId || "all"}|${date}`,
  get: (key) => run("manifests", "readonly", (store) => store.get(key)),
  put: (key, manifest) => run("manifests", "readwrite", (store) => store.put({ key, manifest })),
  /** Forget every list but those under `keep` (yesterday's, or a single place's from before). */
  prune: (keep) =>
    run("manifests", "readwrite", (store) => {
      const request = store.getAllKeys();
      request.onsuccess = () => request.result.filter((k) => !keep.includes(k)).forEach((k) => store.delete(k));
    }),
};

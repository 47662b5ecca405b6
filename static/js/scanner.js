// The check-in scanner: camera (jsQR), manual reference entry, big colour-coded results, the
// day's guest list, and an offline mode that verifies signatures on the phone and queues
// scans in IndexedDB until the network returns.
import { verifyTicket } from "./ticket-verify.js";
import { manifests, queue } from "./checkin-store.js";
import { readReference } from "./reference.js";

const root = document.getElementById("scanner");
const T = JSON.parse(document.getElementById("scanner-messages").textContent);
const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
const locale = root.dataset.locale;
const $ = (id) => document.getElementById(id);
const TZ = "Asia/Ho_Chi_Minh";

const state = {
  listingId: null,
  manifest: null, // {date, public_key, tickets: [...]}
  scanning: false,
  busy: false,
  stream: null,
};

const deviceId = (() => {
  let id = localStorage.getItem("checkin-device");
  if (!id) {
    id = `web-${crypto.getRandomValues(new Uint32Array(2)).join("")}`.slice(0, 40);
    localStorage.setItem("checkin-device", id);
  }
  return id;
})();

function format(template, values) {
  return template.replace(/%\((\w+)\)[sd]/g, (_, key) => String(values[key] ?? ""));
}

function people(count) {
  return format(count === 1 ? T.person : T.people, { num: count });
}

function businessDay(date = new Date()) {
  // en-CA formats as YYYY-MM-DD
  return new Intl.DateTimeFormat("en-CA", { timeZone: TZ }).format(date);
}

function clock(iso) {
  return new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", timeZone: TZ }).format(
    new Date(iso)
  );
}

// --- talking to the server ------------------------------------------------------------------

async function api(path, body) {
  const response = await fetch(path, {
    method: body ? "POST" : "GET",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) {
    const error = new Error(`HTTP ${response.status}`);
    error.status = response.status;
    error.body = await response.json().catch(() => null);
    throw error;
  }
  return response.json();
}

function isOnline() {
  return navigator.onLine !== false;
}

// --- the day's guest list ----------------------------------------------------------------------

let manifestRetries = 0;

async function loadManifest() {
  const today = businessDay();
  const key = manifests.key(state.listingId, today);
  if (isOnline()) {
    try {
      const query = new URLSearchParams({ date: today });
      if (state.listingId) query.set("listing_id", state.listingId);
      state.manifest = await api(`/api/v1/checkins/manifest?${query}`);
      await manifests.put(key, state.manifest);
      manifestRetries = 0;
    } catch (error) {
      console.warn("manifest", error);
      // a dropped connection on a weak signal: try again shortly, a few times
      if (!error.status && manifestRetries < 5) {
        manifestRetries += 1;
        setTimeout(loadManifest, 2000 * manifestRetries);
      }
    }
  }
  if (!state.manifest || state.manifest.date !== today || !sameListing()) {
    const kept = await manifests.get(key);
    state.manifest = kept ? kept.manifest : null;
  }
  await renderManifest();
  root.dataset.manifest = state.manifest ? "loaded" : "missing";
}

function sameListing() {
  return String(state.manifest.listing_id ?? "") === String(state.listingId ?? "");
}

async function renderManifest() {
  const list = $("manifest-list");
  list.replaceChildren();
  const rows = state.manifest ? state.manifest.tickets : [];
  const queued = new Set((await queue.all()).map((scan) => scan.ticketId).filter(Boolean));
  let arrived = 0;
  let expected = 0;
  for (const row of rows) {
    if (row.status === "void") continue;
    const here = Boolean(row.checked_in_at) || queued.has(row.id);
    expected += row.admits;
    if (here) arrived += row.admits;
    const li = document.createElement("li");
    li.className = here ? "arrived" : "expected";
    li.textContent = `${row.contact_name} · ${people(row.admits)} · ${row.booking_reference}`;
    const mark = document.createElement("span");
    mark.className = "scan-mark";
    mark.textContent = here ? `✓ ${row.checked_in_at ? clock(row.checked_in_at) : ""}` : "";
    li.prepend(mark);
    list.append(li);
  }
  $("arrived-count").textContent = arrived;
  $("expected-count").textContent = expected;
  if (!state.manifest) $("manifest-note").textContent = T.no_manifest;
}

async function markArrived(result) {
  // count the guest at once; the refreshed list from the server follows
  const row = state.manifest && state.manifest.tickets.find((t) => t.id === result.ticket_id);
  if (row && result.result === "ok" && !row.checked_in_at) {
    row.checked_in_at = result.checked_in_at;
    row.checked_in_by = result.checked_in_by;
    await renderManifest();
  }
}

// --- judging a scan ------------------------------------------------------------------------------

async function handleCode(text) {
  if (state.busy) return;
  state.busy = true;
  stopCamera();
  try {
    let shown = false;
    if (isOnline()) {
      try {
        const result = await api("/api/v1/checkins", {
          secret: text,
          listing_id: state.listingId,
          device_id: deviceId,
        });
        showResult(result);
        shown = true;
        await markArrived(result);
        loadManifest();
      } catch (error) {
        if (error.status) {
          // a real answer from the server (session expired, ...), not a lost network
          const message = error.body && error.body.error ? error.body.error.message : error.message;
          showResult({ result: "error", message });
          shown = true;
        }
      }
    }
    if (!shown) await checkOffline(text);
  } finally {
    state.busy = false;
  }
}

async function checkOffline(text) {
  const manifest = state.manifest;
  if (!manifest) {
    return showResult({ result: "invalid", message: T.no_manifest });
  }
  let row;
  let claims = null;
  // the format comes with the manifest (an older kept manifest has none: a QR code only)
  const wanted = readReference(text, manifest.reference);
  if (wanted) {
    const rows = manifest.tickets.filter((t) => t.booking_reference === wanted);
    row = rows.find((t) => !t.checked_in_at) || rows[0];
    if (!row) return showResult({ result: "invalid", offline: true });
  } else {
    claims = await verifyTicket(text, manifest.public_key);
    if (!claims) return showResult({ result: "invalid", offline: true });
    row = manifest.tickets.find((t) => t.id === claims.ticketId);
  }
  const today = businessDay();
  const from = claims ? claims.validFrom : row.valid_from;
  const until = claims ? claims.validUntil : row.valid_until;
  const booking = row
    ? { reference: row.booking_reference, contact_name: row.contact_name, admits: row.admits, amount_due: row.amount_due }
    : null;
  if (today < from || today > until) return showResult({ result: "wrong_date", booking, offline: true });
  if (!row) return showResult({ result: "wrong_listing", offline: true });
  if (row.status === "void" || row.booking_status === "cancelled") {
    return showResult({ result: "canceled", booking, offline: true });
  }
  const queued = (await queue.all()).find((scan) => scan.ticketId === row.id);
  if (row.checked_in_at || queued) {
    return showResult({
      result: "already_checked_in",
      booking,
      first_checked_in_at: row.checked_in_at || queued.scanned_at,
      checked_in_by: row.checked_in_by || (queued ? root.dataset.user : null),
      offline: true,
    });
  }
  const scannedAt = new Date().toISOString();
  // written before the green screen: a closed page loses nothing
  await queue.add({
    secret: text.trim(),
    scanned_at: scannedAt,
    device_id: deviceId,
    listing_id: state.listingId,
    ticketId: row.id,
  });
  await updateQueueBadge();
  await renderManifest();
  showResult({ result: "ok", booking, checked_in_at: scannedAt, offline: true });
}

// --- showing the result --------------------------------------------------------------------------

const TONES = { ok: [880, 0.15], already_checked_in: [520, 0.3], bad: [220, 0.5] };

function feedback(kind) {
  const [frequency, seconds] = TONES[kind];
  try {
    const audio = new (window.AudioContext || window.webkitAudioContext)();
    const oscillator = audio.createOscillator();
    oscillator.frequency.value = frequency;
    oscillator.connect(audio.destination);
    oscillator.start();
    oscillator.stop(audio.currentTime + seconds);
    oscillator.onended = () => audio.close();
  } catch {
    /* no sound on this phone */
  }
  if (navigator.vibrate) {
    navigator.vibrate(kind === "ok" ? 120 : kind === "bad" ? [250, 100, 250] : [120, 80, 120]);
  }
}

function showResult(result) {
  const box = $("result");
  const code = result.result;
  const kind = code === "ok" ? "ok" : code === "already_checked_in" ? "already_checked_in" : "bad";
  box.className = `scan-result scan-${kind === "bad" ? "bad" : kind === "ok" ? "ok" : "warn"}`;
  box.dataset.result = code;
  box.dataset.offline = result.offline ? "1" : "";
  $("result-title").textContent = T.results[code] || result.message || code;
  const booking = result.booking;
  $("result-name").textContent = booking ? `${booking.contact_name} · ${people(booking.admits)}` : "";
  const details = [];
  if (code === "already_checked_in" && result.first_checked_in_at) {
    const time = clock(result.first_checked_in_at);
    details.push(
      result.checked_in_by
        ? format(T.already_at, { time, name: result.checked_in_by })
        : format(T.already_at_anon, { time })
    );
  }
  const collect = code === "ok" && booking && booking.amount_due > 0;
  if (collect) details.push(format(T.collect, { amount: money(booking.amount_due) }));
  showCash(collect ? { booking, offline: Boolean(result.offline) } : null);
  if (code === "ok" && result.offline) details.push(T.offline_ok);
  if (booking && booking.reference) details.push(booking.reference);
  $("result-detail").textContent = details.join(" · ");
  box.hidden = false;
  $("camera").hidden = true;
  feedback(kind);
  box.scrollIntoView({ block: "start" });
}

function money(amount) {
  return new Intl.NumberFormat(locale, { style: "currency", currency: "VND" }).format(amount);
}

// --- cash at arrival -----------------------------------------------------------------------------

let cashFor = null; // {reference, amount} the button records

function showCash(due) {
  const box = $("cash-box");
  const button = $("cash-received");
  $("cash-note").textContent = "";
  cashFor = due ? { reference: due.booking.reference, amount: due.booking.amount_due } : null;
  box.hidden = !due;
  // with no signal the payment cannot be recorded: say so rather than offer a button
  // guides do not take money: the host or the cooperative records it
  button.hidden = !due || due.offline || !root.dataset.cash;
  button.disabled = false;
  if (due && due.offline) $("cash-note").textContent = T.cash_offline;
  else if (due && !root.dataset.cash) $("cash-note").textContent = T.cash_host_only;
}

async function recordCash() {
  if (!cashFor) return;
  const button = $("cash-received");
  const note = $("cash-note");
  if (!isOnline()) {
    note.textContent = T.cash_offline;
    return;
  }
  button.disabled = true;
  try {
    await api(root.dataset.cash, cashFor);
    note.textContent = format(T.cash_recorded, { amount: money(cashFor.amount) });
    button.hidden = true;
    root.dataset.cashRecorded = cashFor.reference;
    cashFor = null;
  } catch (error) {
    button.disabled = false;
    if (!error.status) note.textContent = T.cash_offline;
    else note.textContent = error.body && error.body.error ? error.body.error.message : T.cash_failed;
  }
}

function nextScan() {
  $("result").hidden = true;
  $("camera").hidden = false;
  startCamera();
}

// --- camera --------------------------------------------------------------------------------------

async function startCamera() {
  $("camera-error").hidden = true;
  if (!state.stream) {
    try {
      state.stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: "environment", width: { ideal: 640 }, height: { ideal: 480 } },
        audio: false,
      });
    } catch {
      $("camera-error").textContent = T.camera_error;
      $("camera-error").hidden = false;
      return;
    }
  }
  const video = $("video");
  video.srcObject = state.stream;
  video.hidden = false;
  $("scan-start").hidden = true;
  await video.play().catch(() => {});
  state.scanning = true;
  requestAnimationFrame(scanFrame);
}

function stopCamera() {
  state.scanning = false;
  $("video").hidden = true;
  $("scan-start").hidden = false;
}

let lastFrame = 0;

function scanFrame(now) {
  if (!state.scanning) return;
  // about 6 frames a second: enough to feel instant, light on a cheap phone's battery
  if (now - lastFrame > 160) {
    lastFrame = now;
    const video = $("video");
    if (video.readyState >= 2 && video.videoWidth) {
      const scale = Math.min(1, 640 / video.videoWidth);
      const width = Math.round(video.videoWidth * scale);
      const height = Math.round(video.videoHeight * scale);
      const canvas = $("frame");
      canvas.width = width;
      canvas.height = height;
      const context = canvas.getContext("2d", { willReadFrequently: true });
      context.drawImage(video, 0, 0, width, height);
      const code = window.jsQR(context.getImageData(0, 0, width, height).data, width, height, {
        inversionAttempts: "dontInvert",
      });
      if (code && code.data) {
        handleCode(code.data);
        return;
      }
    }
  }
  requestAnimationFrame(scanFrame);
}

// --- offline queue -------------------------------------------------------------------------------

async function updateQueueBadge() {
  const count = await queue.count();
  $("queue-count").textContent = count;
  $("queue").hidden = count === 0;
  root.dataset.queued = String(count);
}

function updateNetBadge() {
  const badge = $("net-status");
  const online = isOnline();
  badge.textContent = online ? badge.dataset.online : badge.dataset.offlineText;
  badge.className = `badge ${online ? "badge-online" : "badge-offline"}`;
  root.dataset.online = online ? "1" : "0";
}

let syncing = null;

async function sync() {
  if (syncing || !isOnline()) return syncing || Promise.resolve();
  syncing = (async () => {
    const scans = await queue.all();
    if (!scans.length) return;
    try {
      const { results } = await api("/api/v1/checkins/sync", {
        scans: scans.map(({ secret, scanned_at, device_id, listing_id }) => ({
          secret,
          scanned_at,
          device_id,
          listing_id,
        })),
      });
      await queue.remove(scans.map((scan) => scan.id));
      const notes = $("sync-notes");
      const note = document.createElement("li");
      note.textContent = format(T.synced, { num: scans.length });
      notes.append(note);
      results.forEach((result) => {
        if (result.conflict && result.booking) {
          const li = document.createElement("li");
          li.className = "scan-conflict";
          li.textContent = format(T.conflict, { reference: result.booking.reference });
          notes.append(li);
        }
      });
    } catch (error) {
      // offline again, or the server refused: keep the scans for the next try
      console.warn("sync", error);
    }
    await updateQueueBadge();
    await loadManifest();
  })().finally(() => {
    syncing = null;
  });
  return syncing;
}

// --- start ---------------------------------------------------------------------------------------

async function start() {
  $("net-status").dataset.online = $("net-status").textContent;
  const select = $("listing");
  const remembered = localStorage.getItem("checkin-listing");
  if (remembered && [...select.options].some((o) => o.value === remembered) && !location.search) {
    select.value = remembered;
  }
  state.listingId = select.value ? Number(select.value) : null;
  select.addEventListener("change", () => {
    state.listingId = select.value ? Number(select.value) : null;
    localStorage.setItem("checkin-listing", select.value);
    loadManifest();
  });
  $("scan-start").addEventListener("click", startCamera);
  $("scan-next").addEventListener("click", nextScan);
  $("cash-received").addEventListener("click", recordCash);
  $("manual").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("reference");
    if (input.value.trim()) handleCode(input.value.trim());
    input.value = "";
  });
  window.addEventListener("online", () => {
    updateNetBadge();
    sync();
  });
  window.addEventListener("offline", updateNetBadge);
  // queued scans go out, and cancellations come in, every half minute while online
  setInterval(() => sync().then(() => isOnline() && loadManifest()), 30000);
  updateNetBadge();
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(root.dataset.sw, { scope: root.dataset.scope }).catch(() => {});
  }
  await updateQueueBadge();
  await loadManifest();
  await sync();
  root.dataset.ready = "1";
}

start();

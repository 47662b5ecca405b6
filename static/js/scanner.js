// The check-in scanner: camera (jsQR), manual entry, big colour-coded results, the guest
// lists of every place and tour the user may scan (today and tomorrow, kept on the phone), and
// an offline mode that verifies signatures on the phone and queues scans in IndexedDB.
// Offline: green for a ticket on a kept list, amber for a genuine ticket the lists do not know
// (or not valid today, or already in), red only for a forged code or a cancelled booking.
import { verifyTicket } from "./ticket-verify.js";
import { queue } from "./checkin-store.js";
import { readReference } from "./reference.js";
import { api, isOnline } from "./scanner-net.js";
import { anyList, businessDay, findRow, loadLists, rowsFor, rowsOfReference, todayList } from "./scanner-lists.js";
import { createSync, watchNews } from "./scanner-sync.js";
import { feedback, setupCamera, startCamera, stopCamera } from "./scanner-camera.js";

const root = document.getElementById("scanner");
const T = JSON.parse(document.getElementById("scanner-messages").textContent);
const locale = root.dataset.locale;
const $ = (id) => document.getElementById(id);
const TZ = "Asia/Ho_Chi_Minh";

const state = {
  listingId: null, // the list shown; scans are judged against every list on the phone
  busy: false,
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

function clock(iso) {
  return new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: TZ }).format(
    new Date(iso)
  );
}

function listingTitle(id) {
  const option = [...$("listing").options].find((o) => o.value === String(id));
  return option ? option.textContent.trim() : "";
}

// --- the guest lists -------------------------------------------------------------------------

async function refreshLists() {
  await loadLists();
  await renderManifest();
  root.dataset.manifest = todayList() ? "loaded" : "missing";
}

function rowButton(label, className, action) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = className;
  button.textContent = label;
  button.addEventListener("click", action);
  return button;
}

async function renderManifest() {
  const list = $("manifest-list");
  const query = $("guest-search").value.trim();
  const queued = new Set((await queue.all()).map((scan) => scan.ticketId).filter(Boolean));
  let arrived = 0;
  let expected = 0;
  for (const row of rowsFor(state.listingId)) {
    if (row.status === "void" || row.booking_status === "cancelled") continue;
    expected += row.admits;
    if (row.checked_in_at || queued.has(row.id)) arrived += row.admits;
  }
  const items = [];
  for (const row of rowsFor(state.listingId, query)) {
    const cancelled = row.status === "void" || row.booking_status === "cancelled";
    if (cancelled && !query) continue;
    const here = Boolean(row.checked_in_at) || queued.has(row.id);
    const li = document.createElement("li");
    li.className = cancelled ? "cancelled" : here ? "arrived" : "expected";
    li.dataset.ticket = row.id;
    const where = row.listing_id !== state.listingId ? ` · ${listingTitle(row.listing_id)}` : "";
    li.textContent = `${row.contact_name} · ${people(row.admits)} · ${row.booking_reference}${where}`;
    const mark = document.createElement("span");
    mark.className = "scan-mark";
    mark.textContent = here ? `✓ ${row.checked_in_at ? clock(row.checked_in_at) : ""}` : "";
    li.prepend(mark);
    if (!here && !cancelled) {
      li.append(rowButton(T.check_in, "scan-row-action", () => handleCode(row.booking_reference)));
    } else if (row.checked_in_at && root.dataset.undo && isOnline()) {
      li.append(rowButton(T.undo, "scan-row-action secondary outline", () => undo(row)));
    }
    items.push(li);
  }
  list.replaceChildren(...items);
  $("search-empty").textContent = T.no_match;
  $("search-empty").hidden = !query || items.length > 0;
  $("arrived-count").textContent = arrived;
  $("expected-count").textContent = expected;
  $("manifest-note").textContent = todayList() ? $("manifest-note").dataset.text : T.no_manifest;
}

async function undo(row) {
  try {
    await api("/api/v1/checkins/undo", { ticket_id: row.id });
    row.checked_in_at = null;
    root.dataset.undone = String(row.id);
    showNote(T.undone);
  } catch (error) {
    showNote(error.body && error.body.error ? error.body.error.message : error.message);
  }
  await refreshLists();
}

function showNote(text) {
  const status = $("sync-status");
  status.textContent = text;
  status.dataset.state = "note";
  status.className = "scan-sync-status";
  status.hidden = false;
}

async function markArrived(result) {
  // count the guest at once; the refreshed list from the server follows
  const row = findRow(result.ticket_id);
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
    watchNews();
    if (isOnline()) {
      try {
        const result = await api("/api/v1/checkins", { secret: text, device_id: deviceId });
        showResult(result);
        shown = true;
        await markArrived(result);
        refreshLists();
      } catch (error) {
        if (error.status) {
          // a real answer from the server (login ended, ...), not a lost network
          showResult({ result: "error", message: error.message });
          shown = true;
        }
      }
    }
    if (!shown) await checkOffline(text);
  } finally {
    state.busy = false;
  }
}

function bookingOf(row) {
  return row
    ? {
        reference: row.booking_reference,
        contact_name: row.contact_name,
        admits: row.admits,
        amount_due: row.amount_due,
        listing_id: row.listing_id,
      }
    : null;
}

async function checkOffline(text) {
  const manifest = anyList();
  if (!manifest) return showResult({ result: "unverified", detail: T.unverified, offline: true });
  let row = null;
  let claims = null;
  // the format comes with the list (an older kept list has none: a QR code only)
  const wanted = readReference(text, manifest.reference);
  if (wanted) {
    const rows = rowsOfReference(wanted);
    row = rows.find((t) => !t.checked_in_at) || rows[0];
    // a typed reference proves nothing by itself: unknown here, it cannot be admitted
    if (!row) return showResult({ result: "not_on_list", offline: true, detail: wanted });
  } else {
    claims = await verifyTicket(text, manifest.public_key);
    if (!claims) return showResult({ result: "invalid", offline: true });
    row = findRow(claims.ticketId);
  }
  const booking = bookingOf(row);
  if (row && (row.status === "void" || row.booking_status === "cancelled")) {
    return showResult({ result: "canceled", booking, offline: true });
  }
  const today = businessDay();
  const from = claims ? claims.validFrom : row.valid_from;
  const until = claims ? claims.validUntil : row.valid_until;
  if (today < from || today > until) return showResult({ result: "wrong_date", booking, offline: true });
  const ticketId = row ? row.id : claims.ticketId;
  const queued = (await queue.all()).find((scan) => scan.ticketId === ticketId);
  if ((row && row.checked_in_at) || queued) {
    return showResult({
      result: "already_checked_in",
      booking,
      first_checked_in_at: (row && row.checked_in_at) || queued.scanned_at,
      checked_in_by: (row && row.checked_in_by) || root.dataset.user,
      offline: true,
    });
  }
  if (row && !["confirmed", "checked_in"].includes(row.booking_status)) {
    return showResult({ result: "unpaid", booking, offline: true });
  }
  const scannedAt = new Date().toISOString();
  // written before the screen changes: a closed page loses nothing
  await queue.add({ secret: text.trim(), scanned_at: scannedAt, device_id: deviceId, ticketId });
  await updateQueueBadge();
  await renderManifest();
  if (!row) {
    return showResult({ result: "not_on_list", admits: claims.admits, offline: true, detail: T.not_on_list_hint });
  }
  showResult({ result: "ok", booking, checked_in_at: scannedAt, offline: true });
}

// --- showing the result --------------------------------------------------------------------------

// red: do not let in (forged, cancelled, not ours); amber: look again; green: welcome
const RED = new Set(["invalid", "canceled", "forbidden", "error"]);

function showResult(result) {
  const box = $("result");
  const code = result.result;
  const kind = code === "ok" ? "ok" : RED.has(code) ? "bad" : "already_checked_in";
  box.className = `scan-result scan-${kind === "bad" ? "bad" : kind === "ok" ? "ok" : "warn"}`;
  box.dataset.result = code;
  box.dataset.offline = result.offline ? "1" : "";
  $("result-title").textContent = T.results[code] || result.message || code;
  const booking = result.booking;
  const admits = booking ? booking.admits : result.admits;
  $("result-name").textContent = booking ? `${booking.contact_name} · ${people(admits)}` : admits ? people(admits) : "";
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
  if (booking && booking.listing_id && booking.listing_id !== state.listingId) {
    details.push(format(T.for_listing, { title: listingTitle(booking.listing_id) }));
  }
  if (result.detail) details.push(result.detail);
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

const { sync } = createSync({
  deviceId,
  T,
  format,
  clock,
  afterSync: async () => {
    await updateQueueBadge();
    await refreshLists();
  },
});

// --- start ---------------------------------------------------------------------------------------

function chooseListing() {
  // the server opens on the guide's own departure, or the first place with arrivals today;
  // a choice made on this phone today wins over that
  const select = $("listing");
  const [day, remembered] = (localStorage.getItem("checkin-listing") || "").split("|");
  const known = [...select.options].some((o) => o.value === remembered);
  if (day === businessDay() && remembered !== undefined && known && !location.search.includes("listing_id")) {
    select.value = remembered;
  }
  state.listingId = select.value ? Number(select.value) : null;
  select.addEventListener("change", () => {
    state.listingId = select.value ? Number(select.value) : null;
    localStorage.setItem("checkin-listing", `${businessDay()}|${select.value}`);
    renderManifest();
  });
}

async function start() {
  $("net-status").dataset.online = $("net-status").textContent;
  $("manifest-note").dataset.text = $("manifest-note").textContent;
  chooseListing();
  setupCamera({ onCode: handleCode, errorText: T.camera_error });
  $("scan-start").addEventListener("click", startCamera);
  $("scan-next").addEventListener("click", nextScan);
  $("cash-received").addEventListener("click", recordCash);
  $("sync-now").addEventListener("click", () => sync());
  $("guest-search").addEventListener("input", () => renderManifest());
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
  window.addEventListener("offline", () => {
    updateNetBadge();
    renderManifest();
  });
  document.addEventListener("lists-stale", () => isOnline() && refreshLists());
  // queued scans go out, news and cancellations come in, every half minute while online
  setInterval(() => isOnline() && sync(), 30000);
  updateNetBadge();
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(root.dataset.sw, { scope: root.dataset.scope }).catch(() => {});
  }
  await updateQueueBadge();
  // online, sync sends what waits and then downloads the lists; offline, the kept lists
  if (isOnline()) await sync();
  else await refreshLists();
  root.dataset.ready = "1";
}

start();

// The guest lists on the phone: every place and tour the user may scan, today and tomorrow,
// downloaded whole (one request a day) and kept in IndexedDB, so a ticket of a tour nobody
// selected is still found with no signal. Also the offline search by name.
import { manifests } from "./checkin-store.js";
import { api, isOnline } from "./scanner-net.js";

const TZ = "Asia/Ho_Chi_Minh";
const byDay = {}; // "YYYY-MM-DD" -> manifest {date, public_key, reference, tickets: [...]}

export function businessDay(date = new Date()) {
  // en-CA formats as YYYY-MM-DD
  return new Intl.DateTimeFormat("en-CA", { timeZone: TZ }).format(date);
}

function nextDay(day) {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

let retries = 0;

/** Fetch today's and tomorrow's lists when online; fall back to the kept copies. Resolves to
 * true when at least one list came fresh from the server. */
export async function loadLists() {
  const today = businessDay();
  const days = [today, nextDay(today)];
  const fetched = new Set();
  if (isOnline()) {
    for (const day of days) {
      try {
        const manifest = await api(`/api/v1/checkins/manifest?date=${day}`);
        await manifests.put(manifests.key(null, day), manifest);
        byDay[day] = manifest;
        fetched.add(day);
      } catch (error) {
        console.warn("manifest", day, error);
        if (!error.status) break; // the network dropped: the kept copies will do
      }
    }
    // a dropped connection on a weak signal: try again shortly, a few times
    if (fetched.size < days.length && retries < 5) {
      retries += 1;
      setTimeout(() => document.dispatchEvent(new Event("lists-stale")), 2000 * retries);
    } else if (fetched.size === days.length) {
      retries = 0;
    }
  }
  for (const key of Object.keys(byDay)) if (!days.includes(key)) delete byDay[key];
  for (const day of days) {
    if (fetched.has(day)) continue;
    const kept = await manifests.get(manifests.key(null, day));
    byDay[day] = kept && kept.manifest.date === day ? kept.manifest : null;
  }
  await manifests.prune(days.map((day) => manifests.key(null, day))).catch(() => {});
  return fetched.size > 0;
}

/** Today's list (every place and tour), or null when none was ever downloaded. */
export function todayList() {
  return byDay[businessDay()] || null;
}

export function anyList() {
  return Object.values(byDay).find(Boolean) || null;
}

export function findRow(ticketId) {
  const list = todayList();
  return list ? list.tickets.find((row) => row.id === ticketId) || null : null;
}

export function rowsOfReference(reference) {
  const list = todayList();
  return list ? list.tickets.filter((row) => row.booking_reference === reference) : [];
}

/** Lower case, no accents, đ as d: "Nguyễn Thị Hoa" is found by "nguyen hoa". */
export function fold(text) {
  return String(text || "")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase();
}

/** Rows of today's list for one listing (null: all), matching every word of `query`. */
export function rowsFor(listingId, query = "") {
  const list = todayList();
  if (!list) return [];
  const words = fold(query).split(/\s+/).filter(Boolean);
  return list.tickets.filter((row) => {
    if (!words.length && listingId && row.listing_id !== listingId) return false;
    if (!words.length) return true;
    const hay = fold(`${row.contact_name} ${(row.guest_names || []).join(" ")} ${row.booking_reference}`);
    return words.every((word) => hay.includes(word));
  });
}

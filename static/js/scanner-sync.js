// Sending the scans made offline, and telling the guide what came of them.
// Before each sync the page fetches a fresh CSRF token (scanner-net.js); a failed sync is said
// in words and retried with growing pauses (2 s, 4 s ... 1 min). Each answer carries news about
// this phone's scans (another phone scanned the same ticket, a booking cancelled meanwhile);
// they stay listed on the screen, kept over reloads, each shown once.
import { queue } from "./checkin-store.js";
import { api, isOnline, refreshSession } from "./scanner-net.js";

const root = document.getElementById("scanner");
const $ = (id) => document.getElementById(id);
const NOTES = "checkin-notes";
const CURSOR = "checkin-cursor";
const MAX_NOTES = 30;

function kept(key) {
  try {
    return JSON.parse(localStorage.getItem(key)) || [];
  } catch {
    return [];
  }
}

/** From the first scan on, this phone asks for news about its scans on every sync. */
export function watchNews() {
  if (!localStorage.getItem(CURSOR)) localStorage.setItem(CURSOR, new Date().toISOString());
}

export function createSync({ deviceId, T, format, clock, afterSync }) {
  let running = null;
  let attempt = 0;
  let timer = null;

  function renderNotes() {
    const list = $("sync-notes");
    list.replaceChildren(
      ...kept(NOTES).map((note) => {
        const li = document.createElement("li");
        li.dataset.kind = note.kind;
        li.className = note.kind === "sent" ? "scan-note" : "scan-conflict";
        li.textContent = note.text;
        return li;
      })
    );
  }

  function addNotes(items) {
    const notes = kept(NOTES);
    const seen = new Set(notes.map((note) => note.id));
    const fresh = items.filter((item) => !item.id || !seen.has(item.id));
    localStorage.setItem(NOTES, JSON.stringify([...fresh.reverse(), ...notes].slice(0, MAX_NOTES)));
    renderNotes();
  }

  function setStatus(state, text, link) {
    const status = $("sync-status");
    status.dataset.state = state;
    status.className = `scan-sync-status scan-sync-${state}`;
    status.textContent = text;
    if (link) {
      const a = document.createElement("a");
      a.href = link;
      a.textContent = T.sync_login;
      status.append(" ", a);
    }
    status.hidden = !text;
    root.dataset.sync = state;
  }

  function newsText(item) {
    const values = { reference: item.reference, name: item.contact_name, time: clock(item.scanned_at), by: item.by };
    if (item.kind === "cancelled") return format(T.news_cancelled, values);
    if (item.kind === "no_show") return format(T.news_no_show, values);
    return format(item.by ? T.news_also_by : T.news_also, values);
  }

  function report(scans, answer) {
    const items = [];
    if (scans.length) {
      const time = clock(answer.cursor);
      items.push({ id: `sent-${answer.cursor}`, kind: "sent", text: `${scans.length === 1 ? T.synced_one : format(T.synced, { num: scans.length })} (${time})` });
    }
    answer.results.forEach((result) => {
      // cancellations come as news; admitted and repeated scans need no word
      if (["ok", "already_checked_in", "canceled"].includes(result.result)) return;
      const reference = result.booking ? result.booking.reference : result.booking_reference || "?";
      items.push({ kind: "problem", text: format(T.scan_problem, { reference, message: result.message || result.result }) });
    });
    answer.news.forEach((item) => items.push({ id: item.id, kind: item.kind, text: newsText(item) }));
    addNotes(items);
  }

  function failed(count, error) {
    attempt += 1;
    const seconds = Math.min(60, 2 ** attempt);
    if (error.status === 401) {
      setStatus("login", format(T.sync_failed, { num: count, reason: error.message }), root.dataset.login);
    } else {
      const reason = error.status ? error.message : T.sync_network;
      setStatus("failed", `${format(T.sync_failed, { num: count, reason })} ${format(T.sync_retry, { seconds })}`);
    }
    clearTimeout(timer);
    timer = setTimeout(sync, seconds * 1000);
  }

  async function once() {
    if (!isOnline()) return;
    const scans = await queue.all();
    const since = localStorage.getItem(CURSOR);
    if (!scans.length && !since) return afterSync();
    clearTimeout(timer);
    try {
      await refreshSession();
      const answer = await api("/api/v1/checkins/sync", {
        scans: scans.map(({ secret, scanned_at, device_id }) => ({ secret, scanned_at, device_id })),
        device_id: deviceId,
        since: since || undefined,
      });
      await queue.remove(scans.map((scan) => scan.id));
      localStorage.setItem(CURSOR, answer.cursor);
      attempt = 0;
      report(scans, answer);
      if (scans.length || ["failed", "login"].includes($("sync-status").dataset.state)) {
        setStatus("ok", format(T.synced_at, { time: clock(answer.cursor) }));
      }
    } catch (error) {
      console.warn("sync", error);
      if (scans.length) failed(scans.length, error);
    }
    await afterSync();
  }

  function sync() {
    running ??= once().finally(() => {
      running = null;
    });
    return running;
  }

  renderNotes();
  return { sync };
}

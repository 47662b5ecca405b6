// The scanner's calls to the server, with the logged-in session and a CSRF token.
// The page may have been opened from the phone's copy after the browser restarted: its token
// then belongs to a session that is gone. `refreshSession` asks /checkin/session for a fresh
// one (sync does so every time); a call refused for its token gets a fresh one and one retry.
const root = document.getElementById("scanner");
let csrfToken = document.querySelector('meta[name="csrf-token"]').content;

export function isOnline() {
  return navigator.onLine !== false;
}

function httpError(status, body) {
  const error = new Error(body && body.error ? body.error.message : `HTTP ${status}`);
  error.status = status;
  error.body = body;
  error.code = body && body.error ? body.error.code : null;
  return error;
}

/** A fresh CSRF token for this session; throws with .status 401 when the login has ended. */
export async function refreshSession() {
  const response = await fetch(root.dataset.session, {
    credentials: "same-origin",
    cache: "no-store",
    headers: { Accept: "application/json" },
  });
  const body = await response.json().catch(() => null);
  if (!response.ok || !body) throw httpError(response.status, body);
  csrfToken = body.csrf_token;
  return body;
}

/** GET (no body) or POST JSON; throws an Error with .status for an HTTP error, without one
 * for a lost network. */
export async function api(path, body, retried = false) {
  const response = await fetch(path, {
    method: body ? "POST" : "GET",
    credentials: "same-origin",
    cache: "no-store",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) {
    const data = await response.json().catch(() => null);
    if (!retried && response.status === 400 && data && data.error && data.error.code === "csrf") {
      await refreshSession();
      return api(path, body, true);
    }
    throw httpError(response.status, data);
  }
  return response.json();
}

// Offline ticket check for the scanner page: decodes and verifies the signed tokens that
// marketplace/services/ticket_tokens.py issues. The layout and the order of checks mirror
// that module exactly; change both together.
//
// Token, version 1: 76 bytes as base64url without padding (102 characters)
//   0  u8      version (1)
//   1  u32 BE  ticket id (>= 1)
//   5  u16 BE  valid_from, days since 2020-01-01
//   7  u16 BE  valid_until, same, >= valid_from
//   9  u8      admits (>= 1)
//   10 u16     reserved, zero
//   12 64 B    Ed25519 signature over bytes 0-11
//
// Ed25519 comes from WebCrypto where the browser has it, else from the vendored
// @noble/ed25519 2.x, loaded on demand. Both need a secure context (HTTPS or localhost).

const VERSION = 1;
const PAYLOAD_LENGTH = 12;
const TOKEN_BYTES = 76;
const TOKEN_LENGTH = 102;
const EPOCH_MS = Date.UTC(2020, 0, 1);
const DAY_MS = 86400000;
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const TOKEN_RE = /^[A-Za-z0-9_-]{102}$/;
// resolved against this file, so it is /static/vendor/... when served from /static/js/
const NOBLE_URL = new URL("../vendor/noble-ed25519/index.js", import.meta.url).href;

/** Strict base64url without padding; null unless canonical (unused low bits zero). */
function base64urlToBytes(text) {
  if (text.length % 4 === 1) return null;
  const bytes = new Uint8Array(Math.floor((text.length * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let out = 0;
  for (const ch of text) {
    const value = ALPHABET.indexOf(ch);
    if (value < 0) return null;
    buffer = ((buffer << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[out++] = (buffer >> bits) & 0xff;
    }
  }
  // leftover bits must be zero: otherwise another spelling of the same bytes
  if (buffer & ((1 << bits) - 1)) return null;
  return bytes;
}

function dayToIso(days) {
  return new Date(EPOCH_MS + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Split a token into its claims and signature, without checking the signature.
 * Surrounding whitespace is ignored.
 * Throws Error("malformed") for anything that is not a well-formed version 1 token,
 * Error("unknown_version") for another version byte.
 */
export function decodeTicket(token) {
  if (typeof token !== "string") throw new Error("malformed");
  const text = token.trim();
  if (!TOKEN_RE.test(text)) throw new Error("malformed");
  const bytes = base64urlToBytes(text);
  if (bytes === null || bytes.length !== TOKEN_BYTES) throw new Error("malformed");
  const view = new DataView(bytes.buffer, bytes.byteOffset, PAYLOAD_LENGTH);
  const version = view.getUint8(0);
  if (version !== VERSION) throw new Error("unknown_version");
  const ticketId = view.getUint32(1, false);
  const from = view.getUint16(5, false);
  const until = view.getUint16(7, false);
  const admits = view.getUint8(9);
  const reserved = view.getUint16(10, false);
  if (reserved !== 0 || ticketId === 0 || admits === 0 || until < from) {
    throw new Error("malformed");
  }
  return {
    version,
    ticketId,
    validFrom: dayToIso(from),
    validUntil: dayToIso(until),
    admits,
    payload: bytes.slice(0, PAYLOAD_LENGTH),
    signature: bytes.slice(PAYLOAD_LENGTH),
  };
}

let noblePromise = null;
// one verifier per public key text: importing a key is not free at scan rate
const verifiers = new Map();

function loadNoble() {
  noblePromise ??= import(NOBLE_URL).catch((error) => {
    noblePromise = null; // not cached offline yet: try again on the next scan
    throw error;
  });
  return noblePromise;
}

async function makeVerifier(keyBytes) {
  try {
    const key = await crypto.subtle.importKey("raw", keyBytes, { name: "Ed25519" }, false, [
      "verify",
    ]);
    return (signature, payload) =>
      crypto.subtle.verify({ name: "Ed25519" }, key, signature, payload);
  } catch {
    // no Ed25519 in this browser's WebCrypto (NotSupportedError)
    const ed = await loadNoble();
    // zip215 off: strict RFC 8032 checks, the same verdicts as the server's OpenSSL
    return (signature, payload) => ed.verifyAsync(signature, payload, keyBytes, { zip215: false });
  }
}

function verifierFor(publicKeyB64url) {
  let verifier = verifiers.get(publicKeyB64url);
  if (!verifier) {
    const keyBytes =
      typeof publicKeyB64url === "string" ? base64urlToBytes(publicKeyB64url.trim()) : null;
    if (keyBytes === null || keyBytes.length !== 32) {
      throw new Error("public key must be 32 bytes of base64url");
    }
    verifier = makeVerifier(keyBytes).catch((error) => {
      // e.g. the fallback library could not be fetched: let a later scan try again
      verifiers.delete(publicKeyB64url);
      throw error;
    });
    verifiers.set(publicKeyB64url, verifier);
  }
  return verifier;
}

/**
 * The claims of a genuine token, or null for a malformed, unknown-version or forged one.
 * Dates are not compared with today: the caller does that with validFrom/validUntil.
 * Throws (rather than answer null) when the public key is not 32 bytes of base64url, or
 * when no Ed25519 implementation could be loaded.
 */
export async function verifyTicket(token, publicKeyB64url) {
  const verify = await verifierFor(publicKeyB64url);
  let claims;
  try {
    claims = decodeTicket(token);
  } catch {
    return null;
  }
  try {
    return (await verify(claims.signature, claims.payload)) ? claims : null;
  } catch {
    return null;
  }
}

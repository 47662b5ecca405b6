// A typed booking reference, read by the rule the check-in manifest carries ("reference":
// marketplace/services/references.py `scanner_rule()`), so the scanner keeps no copy of the
// format: upper case, letters and digits kept, the dash put back after the prefix, then the
// pattern. Returns the reference as stored (e.g. "HL-7K3Q9X"), or null.
export function readReference(text, rule) {
  if (!rule || typeof text !== "string") return null;
  const trimmed = text.trim();
  if (trimmed.length > rule.max_length) return null;
  const upper = trimmed.toUpperCase();
  const cleaned = upper.replace(/[^A-Z0-9]/g, "");
  const normalized =
    cleaned.length === rule.prefix_length + rule.length
      ? `${cleaned.slice(0, rule.prefix_length)}-${cleaned.slice(rule.prefix_length)}`
      : upper;
  return new RegExp(rule.pattern).test(normalized) ? normalized : null;
}

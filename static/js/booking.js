// Booking form: one submit only (the server also refuses a second booking for the same form),
// and the passport field only for foreign guests.
(function () {
  var form = document.querySelector(".booking-form form");
  if (!form) return;
  // after a refused submit, start at the list of every field to fix (read out by screen readers)
  var summary = document.getElementById("form-errors");
  if (summary) summary.focus();
  form.addEventListener("submit", function () {
    var button = form.querySelector(".book-submit");
    if (button) { button.setAttribute("aria-busy", "true"); setTimeout(function () { button.disabled = true; }, 0); }
  });
  var nationality = form.querySelector("#nationality");
  var passport = form.querySelector("#passport_number");
  if (!nationality || !passport) return;
  var label = passport.closest("label");
  function toggle() { if (label) label.hidden = nationality.value === "VN"; }
  nationality.addEventListener("change", toggle);
  toggle();
})();

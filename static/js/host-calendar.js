// Host calendar: counts the tapped days and keeps the action bar at hand while some are picked.
// Without this script the page works as a plain form (a checkbox per day).
(function () {
  "use strict";
  document.querySelectorAll("form[data-cal-pick]").forEach(function (form) {
    var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name=night]"));
    var count = form.querySelector(".cal-count");
    function refresh() {
      var n = boxes.filter(function (b) { return b.checked; }).length;
      form.classList.toggle("has-selection", n > 0);
      count.textContent = n ? form.dataset.some.replace("{n}", n) : form.dataset.none;
    }
    boxes.forEach(function (b) { b.addEventListener("change", refresh); });
    // a submit with nothing picked would only come back with an error: say so at once
    form.addEventListener("submit", function (event) {
      if (!boxes.some(function (b) { return b.checked; })) {
        event.preventDefault();
        count.textContent = form.dataset.none;
      }
    });
    form.classList.add("js-ready");
    refresh();
  });
})();

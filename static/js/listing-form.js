// Listing form: fill the location from the phone's position, and upload photos one request per
// file with a progress bar, without leaving the page. Without this script both still work: the
// numbers are typed and the upload form posts normally.
(function () {
  "use strict";

  // a menu link (or an address ending in #location) unfolds the section it points at
  function unfold(hash) {
    var target = hash && document.getElementById(hash.slice(1));
    var details = target && target.closest("details.listing-section");
    if (details) details.open = true;
  }
  unfold(window.location.hash);
  window.addEventListener("hashchange", function () {
    unfold(window.location.hash);
  });
  document.querySelectorAll(".section-menu a").forEach(function (link) {
    link.addEventListener("click", function () {
      unfold(link.getAttribute("href"));
    });
  });

  var locate = document.getElementById("use-position");
  var form = document.getElementById("location-form");
  if (locate && form && "geolocation" in navigator) {
    var status = document.getElementById("position-status");
    locate.hidden = false;
    locate.addEventListener("click", function () {
      status.textContent = locate.dataset.waiting;
      locate.disabled = true;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          form.elements.latitude.value = position.coords.latitude.toFixed(6);
          form.elements.longitude.value = position.coords.longitude.toFixed(6);
          status.textContent = locate.dataset.found;
          locate.disabled = false;
        },
        function () {
          status.textContent = locate.dataset.failed;
          locate.disabled = false;
        },
        { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 }
      );
    });
  }

  var upload = document.getElementById("photo-upload-form");
  if (!upload || !window.FormData || !window.XMLHttpRequest) return;
  var input = upload.querySelector("input[type=file]");
  var bar = document.getElementById("upload-progress");
  var report = document.getElementById("upload-status");
  var button = document.getElementById("upload-photo");

  function show(lines, isError) {
    report.textContent = "";
    lines.forEach(function (line) {
      var p = document.createElement("p");
      p.className = isError ? "field-error" : "muted";
      p.textContent = line;
      report.appendChild(p);
    });
  }

  // one file per request: each stays under the server's request size limit, and a slow
  // connection loses at most the photo in flight
  function send(file, done, onProgress) {
    var data = new FormData(upload);
    data.delete("photo");
    data.append("photo", file, file.name);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", upload.action);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = function (event) {
      if (event.lengthComputable) onProgress(event.loaded);
    };
    xhr.onload = function () {
      var body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch (e) {
        body = null;
      }
      done(body);
    };
    xhr.onerror = function () {
      done(null);
    };
    xhr.send(data);
  }

  upload.addEventListener("submit", function (event) {
    var files = Array.prototype.slice.call(input.files || []);
    if (!files.length) return; // the server answers "choose a photo"
    event.preventDefault();
    var total = files.reduce(function (sum, f) { return sum + f.size; }, 0) || 1;
    var finished = 0;
    var added = 0;
    var problems = [];
    bar.hidden = false;
    bar.value = 0;
    button.disabled = true;
    show([], false);

    function next(index) {
      if (index >= files.length) {
        bar.hidden = true;
        button.disabled = false;
        input.value = "";
        var lines = [];
        if (added) lines.push(upload.dataset.added.replace("NUM", String(added)));
        show(lines, false);
        problems.forEach(function (line) {
          var p = document.createElement("p");
          p.className = "field-error";
          p.textContent = line;
          report.appendChild(p);
        });
        return;
      }
      var file = files[index];
      send(
        file,
        function (body) {
          finished += file.size;
          bar.value = Math.round((finished / total) * 100);
          if (!body) {
            problems.push(file.name + ": " + upload.dataset.failed);
          } else {
            added += body.added || 0;
            problems = problems.concat(body.problems || []);
            var list = document.getElementById("photo-list");
            if (body.html && list) list.outerHTML = body.html;
            var count = document.getElementById("photo-count");
            if (body.count && count) count.textContent = body.count;
          }
          next(index + 1);
        },
        function (loaded) {
          bar.value = Math.round(((finished + loaded) / total) * 100);
        }
      );
    }
    next(0);
  });
})();

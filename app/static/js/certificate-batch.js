/* Bulk certificate issuance: keeps the <progress> bar and its status text up to date.
   Without JavaScript the page shows the numbers of the moment and a reload link instead. */
(function () {
  "use strict";
  var box = document.querySelector("[data-progress-url]");
  if (!box) {
    return;
  }
  var url = box.getAttribute("data-progress-url");
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-progress-text]");
  var reload = box.querySelector("[data-progress-reload]");
  if (reload) {
    reload.hidden = true;
  }

  function show(progress) {
    bar.max = progress.total || 1;
    bar.value = progress.done;
    bar.textContent = progress.percent + " %";
    if (text.textContent !== progress.message) {
      text.textContent = progress.message;
    }
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (progress) {
        show(progress);
        if (progress.finished || progress.stalled) {
          // The page itself offers what comes next (resume, or the way back).
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, 500);
})();

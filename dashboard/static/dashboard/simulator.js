/* Simulated meeting page: the state is re-read every two seconds, unless a field is being typed in. */
(function () {
  "use strict";
  var box = document.getElementById("sim-state");
  if (!box) return;
  function busy() {
    var active = document.activeElement;
    return active && box.contains(active) && (active.tagName === "INPUT" || active.tagName === "SELECT") && active.value;
  }
  setInterval(function () {
    if (busy() || document.hidden) return;
    fetch(box.getAttribute("data-url"), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html !== null && !busy()) { box.innerHTML = html; window.Notula.formatTimes(box); }
      });
  }, 2000);
})();

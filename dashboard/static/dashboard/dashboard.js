/* Notula dashboard: shared helpers. Plain JavaScript, no build step. */
(function () {
  "use strict";
  var TERMINAL = ["ended", "failed"];

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function clock(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    return h ? h + ":" + pad(m) + ":" + pad(s) : m + ":" + pad(s);
  }

  // Times arrive as ISO 8601 in UTC; show them in the viewer's own time zone.
  function formatTime(el) {
    var date = new Date(el.getAttribute("datetime"));
    if (isNaN(date)) return;
    var style = el.getAttribute("data-style") || "datetime";
    var options = style === "time"
      ? { hour: "2-digit", minute: "2-digit", second: "2-digit" }
      : { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" };
    el.textContent = date.toLocaleString(undefined, options);
    el.title = date.toString();
  }

  function formatTimes(root) {
    (root || document).querySelectorAll("time[datetime]").forEach(formatTime);
  }

  function timeElement(iso, style) {
    var el = document.createElement("time");
    el.setAttribute("datetime", iso);
    el.setAttribute("data-style", style || "datetime");
    formatTime(el);
    return el;
  }

  function badge(status) {
    var el = document.createElement("span");
    el.className = "badge badge-" + status;
    el.setAttribute("data-status", status);
    el.textContent = status.replace(/_/g, " ");
    return el;
  }

  function tick() {
    document.querySelectorAll(".ticking[data-since]").forEach(function (el) {
      el.textContent = clock((Date.now() - new Date(el.getAttribute("data-since"))) / 1000);
    });
  }

  // A status change seen live: the badge, the end reason and the running clock follow it.
  function applyBotStatus(container, data, createdAt) {
    if (!container) return;
    var old = container.querySelector("[data-status]");
    if (old) old.replaceWith(badge(data.new_status));
    var reason = container.querySelector("[data-end-reason]");
    if (reason && data.end_reason) {
      reason.innerHTML = "";
      var span = document.createElement("span");
      span.className = "reason";
      span.textContent = data.end_reason;
      reason.appendChild(span);
    }
    var duration = container.querySelector("[data-duration]");
    if (duration) {
      var ticking = duration.querySelector(".ticking");
      if (data.new_status === "in_call" && !ticking) {
        duration.innerHTML = '<span class="ticking"></span>';
        duration.firstChild.setAttribute("data-since", createdAt);
        tick();
      } else if (TERMINAL.indexOf(data.new_status) >= 0 && ticking) {
        ticking.classList.remove("ticking");
      }
    }
  }

  // One WebSocket that reconnects with back-off; `url()` is asked again on every attempt.
  function socket(url, handlers) {
    var delay = 500, ws = null, closed = false;
    function open() {
      var scheme = location.protocol === "https:" ? "wss://" : "ws://";
      ws = new WebSocket(scheme + location.host + url());
      ws.onopen = function () {
        delay = 500;
        document.documentElement.setAttribute("data-socket", "open");
        if (handlers.open) handlers.open();
      };
      ws.onmessage = function (message) { handlers.message(JSON.parse(message.data)); };
      ws.onclose = function (event) {
        document.documentElement.setAttribute("data-socket", "closed");
        if (handlers.close) handlers.close(event);
        if (closed) return;
        if (event.code === 4401) { location.reload(); return; }  // signed out: the page sends to sign-in
        if (event.code === 4404) return;
        setTimeout(open, delay);
        delay = Math.min(delay * 2, 10000);
      };
    }
    open();
    return { close: function () { closed = true; if (ws) ws.close(); } };
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-autosubmit]")) event.target.form.submit();
  });
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  });
  document.addEventListener("click", function (event) {
    var copy = event.target.closest("[data-copy]");
    if (copy) {
      var text = document.getElementById(copy.getAttribute("data-copy")).textContent.trim();
      if (navigator.clipboard) navigator.clipboard.writeText(text);
      copy.textContent = "Copied";
    }
    var opener = event.target.closest("[data-open]");
    if (opener) {
      var details = document.getElementById(opener.getAttribute("data-open"));
      if (details) { details.open = true; event.preventDefault(); details.scrollIntoView({ behavior: "smooth" }); }
    }
  });

  formatTimes();
  tick();
  setInterval(tick, 1000);

  window.Notula = {
    TERMINAL: TERMINAL, clock: clock, formatTimes: formatTimes, timeElement: timeElement, badge: badge,
    applyBotStatus: applyBotStatus, socket: socket,
  };
})();

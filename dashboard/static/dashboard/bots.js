/* Bots page: live status badges, and the send-a-bot form's date-time picker. */
(function () {
  "use strict";
  var N = window.Notula;
  var list = document.getElementById("bot-list");
  var refreshing = null;

  // A bot this page does not show yet (sent from elsewhere): the list is read again, once.
  function refreshList() {
    if (refreshing) return;
    refreshing = setTimeout(function () {
      fetch(location.href, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          refreshing = null;
          if (html === null) return;
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("bot-list");
          if (fresh) { list.innerHTML = fresh.innerHTML; N.formatTimes(list); }
        });
    }, 300);
  }

  N.socket(function () { return "/ws/dashboard/org"; }, {
    message: function (event) {
      if (event.type !== "bot.status_changed") return;
      var row = list.querySelector('tr[data-bot-id="' + event.bot_id + '"]');
      if (!row) { refreshList(); return; }
      N.applyBotStatus(row, event.data, event.created_at);
      row.classList.remove("flash-row");
      void row.offsetWidth;  // restart the highlight animation
      row.classList.add("flash-row");
    },
  });

  var form = document.getElementById("send-bot-form");
  if (!form) return;
  var joinAt = form.querySelector(".join-at");
  function showJoinAt() {
    var later = form.querySelector('input[name="when"]:checked');
    joinAt.classList.toggle("hidden", !(later && later.value === "later"));
  }
  form.addEventListener("change", showJoinAt);
  showJoinAt();
  // The picker gives a wall-clock time in the viewer's zone; the API wants an instant.
  form.addEventListener("submit", function () {
    var local = form.querySelector('input[name="join_at_local"]').value;
    var date = local ? new Date(local) : null;
    form.querySelector('input[name="join_at"]').value = date && !isNaN(date) ? date.toISOString() : "";
  });
})();

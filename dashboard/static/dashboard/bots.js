/* Bots page: live status badges, and the send-a-bot form's date-time picker. */
(function () {
  "use strict";
  var N = window.Notula;
  var table = document.getElementById("bots-table");
  var notice = document.getElementById("new-bots");

  N.socket(function () { return "/ws/dashboard/org"; }, {
    message: function (event) {
      if (event.type !== "bot.status_changed") return;
      var row = table && table.querySelector('tr[data-bot-id="' + event.bot_id + '"]');
      if (!row) { if (notice) notice.classList.remove("hidden"); return; }
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

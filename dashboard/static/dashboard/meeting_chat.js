/* Meeting page: the meeting chat live (chat.message events), writing in it, and screenshots. */
(function () {
  "use strict";
  var N = window.Notula;
  var root = document.getElementById("meeting");
  var list = document.getElementById("chat-messages");
  if (!root || !list) return;
  var state = document.getElementById("chat-form-state");

  function addMessage(data, createdAt) {
    if (list.querySelector('[data-message-id="' + data.message_id + '"]')) return;
    var item = document.createElement("li");
    item.setAttribute("data-message-id", data.message_id);
    if (data.from_bot) item.className = "from-bot";
    var sender = document.createElement("strong");
    sender.className = "chat-sender";
    sender.textContent = data.sender;
    var text = document.createElement("span");
    text.className = "chat-text";
    text.textContent = data.text;
    item.appendChild(sender);
    item.appendChild(document.createTextNode(" "));
    item.appendChild(N.timeElement(data.at || createdAt, "time"));
    item.appendChild(document.createElement("br"));
    item.appendChild(text);
    list.appendChild(item);
    document.getElementById("chat-empty").classList.add("hidden");
    document.getElementById("chat-count").textContent = String(list.children.length);
  }

  document.addEventListener("notula:meeting-event", function (e) {
    if (e.detail.type === "chat.message") addMessage(e.detail.data, e.detail.created_at);
  });

  function send(form) {
    var body = new FormData(form);
    return fetch(form.action, {
      method: "POST", body: body, credentials: "same-origin", headers: { Accept: "application/json" },
    }).then(function (response) {
      return response.json().then(function (answer) {
        if (!response.ok) throw new Error(answer.error || "refused");
        return answer;
      });
    }).catch(function (error) {
      if (state) state.textContent = error.message;
      throw error;
    });
  }

  // A screenshot is taken by the bot a moment after the request: the list is fetched until it shows.
  function awaitScreenshot(before, triesLeft) {
    var url = root.getAttribute("data-fragments").replace("NAME", "screenshots");
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.text(); }).then(function (html) {
      var target = document.getElementById("fragment-screenshots");
      target.innerHTML = html;
      N.formatTimes(target);
      var count = parseInt(target.querySelector("#screenshot-list").getAttribute("data-count"), 10);
      if (count > before) state.textContent = "Screenshot taken.";
      else if (triesLeft > 0) setTimeout(function () { awaitScreenshot(before, triesLeft - 1); }, 1000);
      else state.textContent = "No screenshot came back.";
    });
  }

  var chatForm = document.getElementById("chat-form");
  if (chatForm) {
    chatForm.addEventListener("submit", function (e) {
      e.preventDefault();
      send(chatForm).then(function () {
        chatForm.elements.text.value = "";
        state.textContent = "Sent; it shows above once the bot has posted it.";
      }, function () {});
    });
  }
  var shotForm = document.getElementById("screenshot-form");
  if (shotForm) {
    shotForm.addEventListener("submit", function (e) {
      e.preventDefault();
      var before = parseInt(document.getElementById("screenshot-list").getAttribute("data-count"), 10) || 0;
      send(shotForm).then(function () {
        state.textContent = "Taking a screenshot…";
        awaitScreenshot(before, 15);
      }, function () {});
    });
  }
})();

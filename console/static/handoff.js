/* The live view of a conversation a staff member has taken over: polls
 * /conversation/<id>/live.json every few seconds, adds the patient's new messages (and the
 * assistant's safety replies, staff replies and escalations) to the transcript, keeps "who is
 * answering", the warning banner and the channel's rule up to date, and sends the reply form
 * without a reload.
 *
 * Runs under the console's CSP (script-src 'self', connect-src 'self', no inline code). Every
 * value from the server goes into the page as text (textContent); nothing here uses innerHTML.
 * A reply that could not be sent stays in the box with the reason next to it.
 * After each successful poll #live gets data-polled="<count>" (the tests wait on it).
 */
(function () {
  "use strict";

  var live = document.getElementById("live");
  var list = document.getElementById("transcript");
  if (!live || !list || !window.fetch) {
    return;
  }
  var url = live.dataset.url;
  var after = Number(live.dataset.after) || 0;
  var seconds = Math.max(2, Number(live.dataset.pollSeconds) || 2.5);
  var mine = live.dataset.mine === "1";
  var who = document.getElementById("handoff-who");
  var warning = document.getElementById("handoff-warning");
  var rule = document.getElementById("channel-rule");
  var form = document.getElementById("reply-form");
  var box = document.getElementById("reply-text");
  var send = document.getElementById("reply-send");
  var replyStatus = document.getElementById("reply-status");
  var polls = 0;
  var timer = null;
  var sending = false;
  var handedOver = true;
  var canReply = rule ? rule.dataset.canReply === "1" : false;

  function text(value) {
    return value === null || value === undefined ? "" : String(value);
  }

  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (content !== undefined) {
      node.textContent = text(content);
    }
    return node;
  }

  function seen(id) {
    return id && list.querySelector('li[data-event-id="' + Number(id) + '"]') !== null;
  }

  // One turn, with the same markup as the server's transcript (conversation.html).
  function turn(t) {
    var li;
    var level = /^[a-z]+$/.test(text(t.level)) ? t.level : "doctor";
    if (t.kind === "user") {
      li = element("li", "turn user" + (t.safety_level ? " flagged" : ""));
      li.appendChild(element("div", "meta", t.time + " · patient · " + text(t.channel) +
                                            (t.intent ? " · intent " + t.intent : "")));
      li.appendChild(element("div", "text", t.text));
    } else if (t.kind === "bot") {
      li = element("li", "turn bot" + (t.staff ? " staff-reply" : t.safety_reply ?
                                                                  " safety-reply" : ""));
      var meta = element("div", "meta", t.time + " · ");
      if (t.staff) {
        meta.appendChild(element("b", "staff-name", t.staff));
        meta.appendChild(document.createTextNode(" (staff)"));
      } else if (t.safety_reply) {
        meta.appendChild(document.createTextNode("assistant · "));
        meta.appendChild(element("b", "", "safety reply"));
      } else {
        meta.appendChild(document.createTextNode("assistant"));
      }
      li.appendChild(meta);
      li.appendChild(element("div", "text", t.text));
      if (t.buttons && t.buttons.length) {
        var buttons = element("div", "buttons");
        t.buttons.forEach(function (title) {
          buttons.appendChild(element("span", "button", title));
          buttons.appendChild(document.createTextNode(" "));
        });
        li.appendChild(buttons);
      }
    } else if (t.kind === "escalation") {
      li = element("li", "turn escalation escalation-" + level);
      li.setAttribute("role", "note");
      li.setAttribute("aria-label", "Escalation: " + level);
      li.appendChild(element("div", "meta", t.time));
      var line = element("div", "text", "Escalation: ");
      line.appendChild(element("span", "badge badge-" + level, level));
      line.appendChild(document.createTextNode(" " + (t.signs || []).map(text).join(", ")));
      li.appendChild(line);
    } else {
      return null;
    }
    li.dataset.eventId = String(Number(t.id) || 0);
    li.classList.add("arrived");
    return li;
  }

  function notice(message) {
    list.appendChild(element("li", "turn notice", message));
  }

  function showWho(handoff) {
    if (!who) {
      return;
    }
    who.textContent = "";
    if (!handoff) {
      who.textContent = "The conversation was handed back: the assistant answers it again. " +
                        "Reload the page to take it over.";
      return;
    }
    var icon = element("span", "handoff-icon", "◆");
    icon.setAttribute("aria-hidden", "true");
    who.appendChild(icon);
    who.appendChild(document.createTextNode(" "));
    who.appendChild(element("strong", "", handoff.mine ? "You are answering" :
                                          text(handoff.by) + " is answering"));
    who.appendChild(document.createTextNode(
      "; the assistant is silent except for safety replies."));
  }

  function showWarnings(warnings) {
    if (!warning) {
      return;
    }
    var items = warning.querySelector(".warning-list");
    items.textContent = "";
    (warnings || []).forEach(function (w) {
      var li = element("li");
      var level = /^[a-z]+$/.test(text(w.level)) ? w.level : "doctor";
      li.appendChild(element("span", "badge badge-" + level,
                             level === "emergency" ? "EMERGENCY" : level));
      li.appendChild(document.createTextNode(" " + ((w.signs || []).map(text).join(", ") ||
                                                     "a warning sign") + " at " + text(w.time)));
      items.appendChild(li);
    });
    warning.hidden = !(warnings && warnings.length);
  }

  function setReplyAllowed() {
    var allowed = handedOver && mine && canReply;
    if (box) {
      box.disabled = !allowed;
    }
    if (send) {
      send.disabled = !allowed || sending;
    }
  }

  function showRule(channel) {
    if (!rule || !channel) {
      return;
    }
    rule.textContent = text(channel.text);
    canReply = Boolean(channel.can_reply);
    rule.dataset.canReply = canReply ? "1" : "0";
    rule.classList.toggle("closed", !canReply);
    setReplyAllowed();
  }

  function update(data) {
    var added = 0;
    (data.turns || []).forEach(function (t) {
      if (seen(t.id)) {
        return;
      }
      var li = turn(t);
      if (li) {
        list.appendChild(li);
        if (t.kind === "user") {
          added += 1;
        }
      }
    });
    if (data.new_session) {
      notice("A new session began after the patient's silence; the handoff goes on.");
    }
    after = Math.max(after, Number(data.last_id) || 0);
    live.dataset.after = String(after);
    handedOver = Boolean(data.handoff);
    if (data.handoff) {
      mine = Boolean(data.handoff.mine);
    }
    showWho(data.handoff);
    showWarnings(data.warnings);
    showRule(data.channel);
    if (added) {
      live.textContent = added === 1 ? "A new message from the patient." :
                         added + " new messages from the patient.";
    }
  }

  function schedule(delay) {
    window.clearTimeout(timer);
    timer = window.setTimeout(poll, delay);
  }

  function poll() {
    fetch(url + "?after=" + encodeURIComponent(String(after)),
          {credentials: "same-origin", cache: "no-store",
           headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (response.status === 401) {
          live.textContent = "Your session has ended: sign in again to see new messages.";
          return null;  // nothing will come until the person signs in again
        }
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json().then(function (data) {
          update(data);
          polls += 1;
          live.dataset.polled = String(polls);
          if (data.handoff) {
            schedule(seconds * 1000);
          }
        });
      })
      .catch(function () {
        live.textContent = "The console is not answering; trying again.";
        schedule(seconds * 1000);
      });
  }

  function sent() {
    box.value = "";
    replyStatus.textContent = "Sent.";
    schedule(0);  // the reply, as stored, comes back with the next poll
  }

  function failed(message) {
    replyStatus.textContent = message + " Your reply is still in the box.";
    replyStatus.classList.add("error");
  }

  if (form && box) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (sending || !box.value.trim()) {
        return;
      }
      sending = true;
      setReplyAllowed();
      replyStatus.classList.remove("error");
      replyStatus.textContent = "Sending…";
      fetch(form.action, {method: "POST", credentials: "same-origin", cache: "no-store",
                          headers: {"Accept": "application/json"},
                          body: new URLSearchParams(new FormData(form))})
        .then(function (response) {
          var type = response.headers.get("Content-Type") || "";
          if (type.indexOf("application/json") === -1) {
            throw new Error(response.status === 403 ?
              "The page expired: reload it to send." : "The console did not take the reply.");
          }
          return response.json().then(function (data) {
            if (response.ok && data.ok) {
              sent();
            } else {
              failed(text(data.error) || "Not sent.");
            }
          });
        })
        .catch(function (error) {
          // fetch rejects with a TypeError when the console cannot be reached at all.
          failed(error instanceof TypeError ? "Not sent: the console is not answering." :
                 text(error && error.message));
        })
        .then(function () {
          sending = false;
          setReplyAllowed();
        });
    });
  }

  setReplyAllowed();
  schedule(seconds * 1000);
}());

/* The "Needs attention" queue, live: polls /attention.json and brings the table up to date
 * without a reload.
 *
 * Runs under the console's CSP (script-src 'self', no inline code). Every value from the server
 * goes into the page as text (textContent, attributes set one by one); nothing here uses
 * innerHTML. A row is built from a copy of <template id="escalation-row">, which the server
 * renders with the same markup as its own rows. A row whose state did not change keeps its
 * element, so a close form someone is filling in is left alone; when its state does change, the
 * open close form moves into the new row with what was typed.
 * After each successful poll #attention gets data-polled="<count>" (the tests wait on it).
 */
(function () {
  "use strict";

  var table = document.getElementById("attention");
  var body = document.getElementById("attention-rows");
  var blank = document.getElementById("escalation-row");
  if (!table || !body || !blank || !window.fetch) {
    return;
  }
  var status = document.getElementById("attention-status");
  var announce = document.getElementById("attention-announce");
  var empty = document.getElementById("attention-empty");
  var count = document.getElementById("attention-count");
  var title = document.title.replace(/^\(\d+\) /, "");
  var seconds = Math.max(2, Number(table.dataset.pollSeconds) || 5);
  var polls = 0;
  var known = {};  // escalation ids seen since the page loaded: only newer ones are announced
  Array.prototype.forEach.call(body.querySelectorAll("tr.escalation-row"), function (row) {
    known[row.dataset.id] = true;
  });

  function text(value) {
    return value === null || value === undefined ? "" : String(value);
  }

  function signature(e) {
    return JSON.stringify([e.state, e.alert_text, e.acknowledged_by, e.acknowledged,
                           e.closed_by, e.closed, e.outcome, e.note].map(text));
  }

  function rowSignature(row) {
    try {
      return JSON.stringify(JSON.parse(row.dataset.sig || "[]").map(text));
    } catch (error) {
      return "";
    }
  }

  function setText(row, selector, value) {
    var node = row.querySelector(selector);
    if (node) {
      node.textContent = text(value);
    }
  }

  // The same icons and words as the template's level_badge (escalation_parts.html).
  var ICONS = {emergency: "▲", doctor: "●", person: "◆", message: "✉"};
  var NAMES = {emergency: "Emergency escalation", doctor: "Doctor escalation",
               person: "A patient asks for a person", message: "A patient left a message"};

  function setLevel(row, level) {
    Object.keys(ICONS).forEach(function (name) {
      row.classList.remove("level-" + name);
    });
    row.classList.add("level-" + level);
    var badge = row.querySelector(".level-badge");
    if (badge) {
      badge.className = "badge badge-" + level + " level-badge";
    }
    setText(row, ".level-icon", ICONS[level]);
    setText(row, ".level-text", level === "emergency" ? "EMERGENCY" :
            level.charAt(0).toUpperCase() + level.slice(1));
  }

  function setActions(row, e) {
    var id = encodeURIComponent(String(Number(e.id)));
    var acknowledge = row.querySelector("form.acknowledge");
    if (acknowledge) {
      acknowledge.action = "/attention/" + id + "/acknowledge";
      acknowledge.hidden = e.state !== "open";
    }
    var details = row.querySelector("details.close-details");
    if (details) {
      details.querySelector("form.close").action = "/attention/" + id + "/close";
      details.hidden = e.state === "closed";
    }
    Array.prototype.forEach.call(row.querySelectorAll(".escalation-ref"), function (node) {
      node.textContent = " escalation " + Number(e.id);
    });
  }

  function build(e) {
    var row = blank.content.querySelector("tr").cloneNode(true);
    var level = ICONS.hasOwnProperty(e.level) ? e.level : "doctor";
    row.dataset.id = String(e.id);
    row.dataset.level = level;
    row.dataset.state = text(e.state);
    row.dataset.sig = signature(e);
    row.classList.remove("state-open");
    row.classList.add("state-" + text(e.state));
    setLevel(row, level);
    setText(row, ".signs", (e.signs || []).map(text).join(", "));
    setText(row, ".channel", e.channel);
    setText(row, ".age", e.age);
    setText(row, ".raised", e.raised);
    var alert = row.querySelector(".alert");
    alert.className = "alert alert-" + text(e.alert).replace(/[^a-z]/g, "");
    alert.textContent = text(e.alert_text);
    setText(row, ".state", e.state);
    setText(row, ".closed-info", e.state === "closed" ?
            e.outcome_label + " · by " + e.closed_by + " at " + e.closed : "");
    setText(row, ".note", e.note);
    setText(row, ".acknowledged", e.acknowledged_by ?
            e.acknowledged_by + " at " + e.acknowledged : "");
    var link = row.querySelector("a.conversation-link");
    link.href = "/conversation/" + encodeURIComponent(String(Number(e.conversation_id)));
    setText(row, ".conversation-id", Number(e.conversation_id));
    setActions(row, e);
    return row;
  }

  // The close form someone has opened keeps what they chose and typed.
  function keepCloseForm(from, to) {
    var before = from.querySelector("details.close-details");
    var after = to.querySelector("details.close-details");
    if (before && after && before.open && !after.hidden) {
      after.parentNode.replaceChild(before, after);
    }
  }

  function say(message) {
    if (announce && message) {
      announce.textContent = message;
    }
  }

  function update(data) {
    var rows = {};
    Array.prototype.forEach.call(body.querySelectorAll("tr.escalation-row"), function (row) {
      rows[row.dataset.id] = row;
    });
    var wanted = [];
    var arrivals = [];
    (data.escalations || []).forEach(function (e) {
      var id = String(e.id);
      var row = rows[id];
      if (row && rowSignature(row) === signature(e)) {
        setText(row, ".age", e.age);
      } else {
        var fresh = build(e);
        if (row) {
          keepCloseForm(row, fresh);
          body.replaceChild(fresh, row);
        }
        row = fresh;
      }
      if (!known[id]) {
        known[id] = true;
        row.classList.add("arrived");
        arrivals.push((NAMES[e.level] || NAMES.doctor) + ": " +
                      (e.signs || []).map(text).join(", "));
      }
      delete rows[id];
      wanted.push(row);
    });
    Object.keys(rows).forEach(function (id) {
      body.removeChild(rows[id]);
    });
    // Move only the rows that are out of place (moving a row would drop a focused field).
    wanted.forEach(function (row, index) {
      if (body.children[index] !== row) {
        body.insertBefore(row, body.children[index] || null);
      }
    });
    var open = Number(data.open) || 0;
    if (count) {
      count.textContent = open + " open";
    }
    document.title = (open ? "(" + open + ") " : "") + title;
    if (empty) {
      empty.hidden = wanted.length > 0;
    }
    say(arrivals.length ? "New: " + arrivals.join("; ") : "");
  }

  function schedule() {
    window.setTimeout(poll, seconds * 1000);
  }

  function poll() {
    fetch("/attention.json", {credentials: "same-origin", cache: "no-store",
                              headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (response.status === 401) {
          status.textContent = "Your session has ended: sign in again to see new escalations.";
          return null;  // stop polling: nothing will come until the person signs in again
        }
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json().then(function (data) {
          update(data);
          polls += 1;
          table.dataset.polled = String(polls);
          status.textContent = "Up to date at " + new Date().toLocaleTimeString() + ".";
          schedule();
        });
      })
      .catch(function () {
        status.textContent = "The console is not answering; trying again.";
        schedule();
      });
  }

  poll();
}());

/* Dashboard charts of the staff console.
 *
 * Runs under a strict CSP (script-src 'self', no eval, no inline styles):
 * the data comes from the <script type="application/json" id="dashboard-data">
 * block rendered by the server, and every label is treated as plain text
 * (Chart.js draws it on the canvas; nothing here touches innerHTML).
 * After a chart has been drawn its canvas gets data-ready="1"; once all of
 * them are drawn, #dashboard-charts gets data-ready="1" too.
 */
(function () {
  "use strict";

  var dataBlock = document.getElementById("dashboard-data");
  var Chart = window.Chart;
  if (!dataBlock || typeof Chart !== "function") {
    return;
  }
  var data = JSON.parse(dataBlock.textContent);

  var COLOURS = {
    conversations: "#3b6e9e",
    emergency: "#b00020",
    doctor: "#c76b00",
    topics: "#24415f",
    fallback: "#5b3d99",
    grid: "#e3e7ec",
    text: "#3b4450"
  };
  // Distinct, non-alarming colours for the channel doughnut (no red/amber,
  // which mean escalations elsewhere on the page).
  var CHANNEL_COLOURS = ["#24415f", "#3f8fbf", "#5b3d99", "#2e7d32", "#00838f",
                         "#8d6e63", "#ad1457", "#546e7a", "#9e9d24", "#6d4c41"];
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun",
                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  var container = document.getElementById("dashboard-charts");
  if (container) {
    container.classList.add("charts-on");  // reveals the chart boxes (hidden without JS)
  }

  Chart.defaults.animation = false;
  Chart.defaults.color = COLOURS.text;
  Chart.defaults.borderColor = COLOURS.grid;
  Chart.defaults.font.family = "system-ui, sans-serif";
  Chart.defaults.font.size = 12;
  Chart.defaults.plugins.legend.labels.boxWidth = 14;

  function list(value) {
    return Array.isArray(value) ? value : [];
  }

  function text(value) {
    return value === null || value === undefined ? "" : String(value);
  }

  function count(value) {
    var n = Number(value);
    return isFinite(n) ? n : 0;
  }

  function shorten(value, max) {
    var s = text(value);
    return s.length > max ? s.slice(0, max - 1) + "\u2026" : s;
  }

  // "2026-10-22" -> "22 Oct", without going through Date (no time-zone shifts).
  function shortDay(day) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text(day));
    if (!m) {
      return text(day);
    }
    return String(Number(m[3])) + " " + MONTHS[Number(m[2]) - 1];
  }

  // Marks the canvas once Chart.js has actually rendered it, and the
  // container once every canvas in it has been rendered.
  var readyFlag = {
    id: "readyFlag",
    afterRender: function (chart) {
      if (chart.canvas.dataset.ready === "1") {
        return;
      }
      chart.canvas.dataset.ready = "1";
      if (container && !container.querySelector("canvas:not([data-ready])")) {
        container.dataset.ready = "1";
      }
    }
  };

  function canvas(id) {
    return document.getElementById(id);
  }

  function narrow(element) {
    return !element || !element.parentNode || element.parentNode.clientWidth < 480;
  }

  // True when a chart has nothing to show: no values at all, or (for bars and
  // doughnuts) nothing above zero. A 0% fallback rate is still data.
  function isEmpty(config) {
    var line = config.type === "line";
    return !config.data.datasets.some(function (ds) {
      return ds.data.some(function (v) { return v !== null && (line || v > 0); });
    });
  }

  // Writes a short message in the middle of an empty chart (canvas text only).
  var emptyMessage = {
    id: "emptyMessage",
    afterDraw: function (chart, args, options) {
      if (!options.text) {
        return;
      }
      var ctx = chart.ctx;
      ctx.save();
      ctx.fillStyle = COLOURS.text;
      ctx.font = "15px system-ui, sans-serif";
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.fillText(options.text, chart.width / 2, chart.height / 2);
      ctx.restore();
    }
  };

  function draw(id, config, emptyText) {
    var element = canvas(id);
    if (!element) {
      return null;
    }
    config.plugins = [readyFlag, emptyMessage];
    config.options = config.options || {};
    config.options.plugins = config.options.plugins || {};
    if (isEmpty(config)) {
      config.options.plugins.emptyMessage = { text: emptyText };
      config.options.plugins.legend = { display: false };
      config.options.plugins.tooltip = { enabled: false };
      Object.keys(config.options.scales || {}).forEach(function (axis) {
        config.options.scales[axis].display = false;
      });
    } else {
      config.options.plugins.emptyMessage = { text: "" };
    }
    config.options.animation = false;
    config.options.responsive = true;
    config.options.maintainAspectRatio = false;
    return new Chart(element, config);
  }

  var perDay = list(data.per_day);
  var days = perDay.map(function (d) { return text(d.day); });
  var dayTitle = function (items) {
    return items.length ? days[items[0].dataIndex] || "" : "";
  };

  // Grouped bars stay readable for a couple of months; longer ranges get lines.
  var longRange = days.length > 62;

  function series(label, colour, key) {
    return {
      label: label, backgroundColor: colour, borderColor: colour,
      borderWidth: longRange ? 1.5 : 0, pointRadius: 0, pointHitRadius: 4,
      data: perDay.map(function (d) { return count(d[key]); })
    };
  }

  // (a) Conversations and escalations per day.
  draw("chart-per-day", {
    type: longRange ? "line" : "bar",
    data: {
      labels: days.map(shortDay),
      datasets: [
        series("Conversations", COLOURS.conversations, "conversations"),
        series("Emergency", COLOURS.emergency, "emergency"),
        series("Doctor", COLOURS.doctor, "doctor")
      ]
    },
    options: {
      interaction: { mode: "index", intersect: false },
      plugins: {
        legend: { position: "top", align: "start" },
        tooltip: { callbacks: { title: dayTitle } }
      },
      scales: {
        x: { grid: { display: false }, ticks: { autoSkip: true, maxRotation: 0 } },
        y: { beginAtZero: true, ticks: { precision: 0 } }
      }
    }
  }, "No conversations in this range.");

  // (b) Top topics.
  var topics = list(data.topics);
  draw("chart-topics", {
    type: "bar",
    data: {
      labels: topics.map(function (t) {
        return shorten(t.intent, narrow(canvas("chart-topics")) ? 18 : 32);
      }),
      datasets: [
        { label: "Patient turns", backgroundColor: COLOURS.topics,
          data: topics.map(function (t) { return count(t.turns); }) }
      ]
    },
    options: {
      indexAxis: "y",
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { title: function (items) {
          return items.length ? text(topics[items[0].dataIndex].intent) : "";
        } } }
      },
      scales: {
        x: { beginAtZero: true, ticks: { precision: 0 } },
        y: { grid: { display: false }, ticks: { autoSkip: false } }
      }
    }
  }, "No topics in this range.");

  // (c) Fallback rate per day, in percent (no point on days without turns).
  var fallback = list(data.fallback_per_day);
  var fallbackDays = fallback.map(function (d) { return text(d.day); });
  draw("chart-fallback", {
    type: "line",
    data: {
      labels: fallbackDays.map(shortDay),
      datasets: [
        { label: "Fallback rate", borderColor: COLOURS.fallback,
          backgroundColor: COLOURS.fallback, borderWidth: 2,
          pointRadius: fallback.length > 62 ? 0 : 3, pointHitRadius: 4,
          tension: 0, spanGaps: false,
          data: fallback.map(function (d) {
            var turns = count(d.user_turns);
            return turns > 0 ? Math.round(1000 * count(d.fallback_turns) / turns) / 10 : null;
          }) }
      ]
    },
    options: {
      interaction: { mode: "index", intersect: false },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: {
          title: function (items) {
            return items.length ? fallbackDays[items[0].dataIndex] || "" : "";
          },
          label: function (item) {
            var d = fallback[item.dataIndex] || {};
            return item.formattedValue + "% (" + count(d.fallback_turns) + " of " +
              count(d.user_turns) + " patient turns)";
          }
        } }
      },
      scales: {
        x: { grid: { display: false }, ticks: { autoSkip: true, maxRotation: 0 } },
        y: { beginAtZero: true, suggestedMax: 10,
             ticks: { callback: function (value) { return value + "%"; } } }
      }
    }
  }, "No patient turns in this range.");

  // (d) Channel mix.
  var channels = list(data.channels);
  draw("chart-channels", {
    type: "doughnut",
    data: {
      labels: channels.map(function (c) { return shorten(c.channel, 32); }),
      datasets: [
        { label: "Conversations",
          backgroundColor: channels.map(function (c, i) {
            return CHANNEL_COLOURS[i % CHANNEL_COLOURS.length];
          }),
          borderColor: "#fff", borderWidth: 2,
          data: channels.map(function (c) { return count(c.conversations); }) }
      ]
    },
    options: {
      cutout: "55%",
      plugins: {
        // Legend beside the doughnut when there is room, below it otherwise.
        legend: { position: narrow(canvas("chart-channels")) ? "bottom" : "right" },
        tooltip: { callbacks: { title: function (items) {
          return items.length ? text(channels[items[0].dataIndex].channel) : "";
        } } }
      }
    }
  }, "No channels in this range.");
}());

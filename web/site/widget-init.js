/*
 * Starts the clinic's chat widget (rasa-webchat) on any page, with no inline script:
 *
 *   <script src="https://CHAT-SERVER/widget-init.js" defer></script>
 *
 * Settings: the JSON at data-config-url (default: widget-config.json next to this script; "none"
 * to skip it), then any data- attribute of this script tag on top: data-socket-url, data-title,
 * data-subtitle, data-init-payload, data-main-color, data-user-background-color,
 * data-user-text-color, data-assist-text-color, data-assist-background-color,
 * data-input-hint, data-storage ("session" or "local").
 *
 * rasa-webchat itself is loaded from vendor/rasa-webchat.js next to this script (data-vendor-url
 * overrides), and the widget's style fixes from widget.css next to it. This file also makes the
 * widget usable with a keyboard and a screen reader: accessible names, a live conversation log,
 * quick replies as buttons, focus moved into the chat when it opens and back to the launcher
 * when it closes, Escape closes it.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script) {
    return;
  }
  var data = script.dataset;
  var base = script.src || window.location.href;

  var DATA_SETTINGS = {
    socketUrl: "socketUrl",
    socketPath: "socketPath",
    title: "title",
    subtitle: "subtitle",
    initPayload: "initPayload",
    mainColor: "mainColor",
    userBackgroundColor: "userBackgroundColor",
    userTextColor: "userTextColor",
    assistTextColor: "assistTextColor",
    assistBackgroundColor: "assistBackgoundColor", // rasa-webchat's spelling
    conversationBackgroundColor: "conversationBackgroundColor",
    inputHint: "inputTextFieldHint",
    storage: "storage"
  };

  var DEFAULT_LABELS = {
    launcherOpen: "Open the chat",
    launcherClose: "Close the chat",
    dialog: "Chat",
    close: "Close the chat",
    input: "Your question",
    send: "Send",
    log: "Conversation"
  };

  function loadScript(url) {
    return new Promise(function (resolve, reject) {
      if (window.WebChat && typeof window.WebChat.default === "function") {
        resolve();
        return;
      }
      var tag = document.createElement("script");
      tag.src = url;
      tag.async = true;
      tag.onload = function () { resolve(); };
      tag.onerror = function () { reject(new Error("could not load " + url)); };
      document.head.appendChild(tag);
    });
  }

  function loadStylesheet(url) {
    if (document.querySelector('link[data-clinic-chat-css]')) {
      return;
    }
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = url;
    link.setAttribute("data-clinic-chat-css", "");
    document.head.appendChild(link);
  }

  function loadConfig() {
    var configUrl = data.configUrl === undefined ? "widget-config.json" : data.configUrl;
    if (!configUrl || configUrl === "none") {
      return Promise.resolve({});
    }
    return fetch(new URL(configUrl, base).href, { credentials: "omit" }).then(function (res) {
      if (!res.ok) {
        throw new Error("widget config: HTTP " + res.status);
      }
      return res.json();
    });
  }

  function settingsFrom(config) {
    var settings = Object.assign({}, config);
    Object.keys(DATA_SETTINGS).forEach(function (key) {
      if (data[key]) {
        settings[DATA_SETTINGS[key]] = data[key];
      }
    });
    settings.labels = Object.assign({}, DEFAULT_LABELS, config.labels || {});
    if (!settings.socketUrl) {
      throw new Error("chat widget: no socket URL (widget-config.json or data-socket-url)");
    }
    return settings;
  }

  /* ---------------------------------------------------------------- accessibility layer */

  function setAttrs(element, attrs) {
    if (!element) {
      return;
    }
    Object.keys(attrs).forEach(function (name) {
      if (element.getAttribute(name) !== attrs[name]) {
        element.setAttribute(name, attrs[name]);
      }
    });
  }

  function Accessibility(root, labels) {
    this.root = root;
    this.labels = labels;
    this.wasOpen = null; // unknown until the widget has rendered
  }

  Accessibility.prototype.isOpen = function () {
    return Boolean(this.root.querySelector(".rw-conversation-container"));
  };

  Accessibility.prototype.apply = function () {
    var root = this.root;
    var labels = this.labels;
    var open = this.isOpen();
    var launcher = root.querySelector(".rw-launcher");
    setAttrs(launcher, {
      "aria-label": open ? labels.launcherClose : labels.launcherOpen,
      "aria-expanded": open ? "true" : "false",
      "aria-controls": "clinic-chat-dialog"
    });
    var dialog = root.querySelector(".rw-conversation-container");
    setAttrs(dialog, { role: "dialog", "aria-label": labels.dialog, id: "clinic-chat-dialog" });
    setAttrs(root.querySelector(".rw-close-button"), { "aria-label": labels.close });
    setAttrs(root.querySelector(".rw-new-message"), { "aria-label": labels.input });
    setAttrs(root.querySelector(".rw-send"), { "aria-label": labels.send });
    setAttrs(root.querySelector(".rw-messages-container"), {
      role: "log",
      "aria-live": "polite",
      "aria-label": labels.log,
      tabindex: "0"
    });
    root.querySelectorAll(".rw-close-button img, .rw-launcher img, .rw-send svg").forEach(
      function (icon) { setAttrs(icon, { alt: "", "aria-hidden": "true" }); }
    );
    // Quick replies are <div>s with a click handler: make them buttons for keyboards and readers.
    root.querySelectorAll("div.rw-reply").forEach(function (reply) {
      setAttrs(reply, { role: "button", tabindex: "0" });
    });
    if (this.wasOpen === null) {
      // First render (maybe restored open after a reload): leave the page's focus alone.
      if (launcher || dialog) {
        this.wasOpen = open;
      }
    } else if (open !== this.wasOpen) {
      this.wasOpen = open;
      this.moveFocus(open);
    }
  };

  Accessibility.prototype.moveFocus = function (open) {
    var root = this.root;
    window.setTimeout(function () {
      var target = root.querySelector(open ? ".rw-new-message" : ".rw-launcher");
      if (!target) {
        return;
      }
      var active = document.activeElement;
      // Move focus only if it is not already inside the widget (or nowhere in particular).
      if (!open || !root.contains(active) || active === root.querySelector(".rw-launcher")) {
        target.focus();
      }
    }, 50);
  };

  Accessibility.prototype.close = function () {
    var button = this.root.querySelector(".rw-close-button") ||
      this.root.querySelector(".rw-launcher");
    if (button) {
      button.click();
    }
  };

  Accessibility.prototype.start = function () {
    var self = this;
    var pending = false;
    var observer = new MutationObserver(function () {
      if (!pending) {
        pending = true;
        window.requestAnimationFrame(function () {
          pending = false;
          self.apply();
        });
      }
    });
    observer.observe(this.root, { childList: true, subtree: true });
    this.root.addEventListener("keydown", function (event) {
      var target = event.target;
      if (event.key === "Escape" && self.isOpen()) {
        event.preventDefault();
        self.close();
      } else if ((event.key === "Enter" || event.key === " ") && target.matches &&
                 target.matches("div.rw-reply")) {
        // The chosen reply disappears: give focus back to the input to go on typing.
        event.preventDefault();
        target.click();
        window.setTimeout(function () {
          var input = self.root.querySelector(".rw-new-message");
          if (input) {
            input.focus();
          }
        }, 0);
      }
    });
    this.apply();
  };

  /* ---------------------------------------------------------------------------- start */

  function messageDelay(text) {
    // rasa-webchat "types" each message; keep it short (0.3 to 1.2 s) so answers come quickly.
    var delay = (text ? text.length : 0) * 12;
    return Math.max(300, Math.min(1200, delay));
  }

  function start(settings) {
    var root = document.createElement("div");
    root.id = "clinic-chat";
    root.className = "clinic-chat";
    document.body.appendChild(root);

    var props = {
      socketUrl: settings.socketUrl,
      socketPath: settings.socketPath || "/socket.io/",
      title: settings.title,
      subtitle: settings.subtitle,
      initPayload: settings.initPayload,
      inputTextFieldHint: settings.inputTextFieldHint,
      customData: settings.customData || {},
      params: { storage: settings.storage === "local" ? "local" : "session" },
      mainColor: settings.mainColor,
      conversationBackgroundColor: settings.conversationBackgroundColor,
      userTextColor: settings.userTextColor,
      userBackgroundColor: settings.userBackgroundColor,
      assistTextColor: settings.assistTextColor,
      assistBackgoundColor: settings.assistBackgoundColor,
      showCloseButton: true,
      connectOn: "mount",
      withRules: false,
      customMessageDelay: messageDelay
    };
    Object.keys(props).forEach(function (key) {
      if (props[key] === undefined) {
        delete props[key];
      }
    });
    window.WebChat.default(props, root);
    new Accessibility(root, settings.labels).start();
  }

  loadStylesheet(new URL("widget.css", base).href);
  var vendorUrl = new URL(data.vendorUrl || "vendor/rasa-webchat.js", base).href;
  Promise.all([loadConfig(), loadScript(vendorUrl)])
    .then(function (results) { start(settingsFrom(results[0])); })
    .catch(function (error) { console.error("chat widget:", error); });
})();

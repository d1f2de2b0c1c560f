/*
 * Starts the clinic's chat widget (rasa-webchat) on any page, with no inline script:
 *
 *   <script src="https://CHAT-SERVER/widget-init.js" defer></script>
 *
 * Settings: the JSON at data-config-url (default: widget-config.json next to this script; "none"
 * to skip it), then any data- attribute of this script tag on top: data-socket-url,
 * data-main-color, data-user-background-color, data-user-text-color, data-assist-text-color,
 * data-assist-background-color, data-storage ("session" or "local"), data-clinic-name,
 * data-emergency-number.
 *
 * Languages: every text the widget shows (title, subtitle, input hint, status, accessible names,
 * the language toggle) and the message that starts a conversation are in widget-texts.json next
 * to this script (data-texts-url overrides), one entry per language ("en", "es"), with {clinic}
 * and {emergency} filled in from the settings (a [part] is left out when its value is unknown).
 * The language: the patient's own choice in this tab (the toggle), else data-lang of this script
 * or of a #clinic-chat container on the page, else the page's <html lang>, else English.
 * data-title, data-subtitle, data-input-hint and data-init-payload replace a text in every
 * language, data-title-es (and so on, with a language code) in that language only.
 *
 * The header has a language toggle "English | Español": it switches the widget's texts at once;
 * in a conversation already going it sends the request to switch ("en español, por favor") as
 * the patient's message; before that, the conversation starts in the chosen language ("Hola").
 *
 * rasa-webchat itself is loaded from vendor/rasa-webchat.js next to this script (data-vendor-url
 * overrides), and the widget's style fixes from widget.css next to it. This file also makes the
 * widget usable with a keyboard and a screen reader: accessible names, a live conversation log,
 * quick replies as buttons, focus moved into the chat when it opens and back to the launcher
 * when it closes, Escape closes it. Texts are only ever set as text, never as HTML.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script) {
    return;
  }
  var data = script.dataset;
  var base = script.src || window.location.href;

  // data- attribute (dataset name) -> rasa-webchat setting
  var DATA_SETTINGS = {
    socketUrl: "socketUrl",
    socketPath: "socketPath",
    mainColor: "mainColor",
    userBackgroundColor: "userBackgroundColor",
    userTextColor: "userTextColor",
    assistTextColor: "assistTextColor",
    assistBackgroundColor: "assistBackgoundColor", // rasa-webchat's spelling
    conversationBackgroundColor: "conversationBackgroundColor",
    storage: "storage"
  };

  // data- attribute (dataset name) -> text of widget-texts.json it replaces
  var DATA_TEXTS = {
    title: "title",
    subtitle: "subtitle",
    inputHint: "inputHint",
    initPayload: "start"
  };

  // Texts that are shown (filled in); the others (start, switchRequest) are sent as they are.
  var SHOWN_TEXTS = ["title", "subtitle", "inputHint", "connecting"];

  var LANGUAGE_KEY = "clinic_chat_lang"; // the patient's choice, kept where the chat is kept
  var SESSION_KEY = "chat_session"; // rasa-webchat's conversation in the same storage

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

  function loadJson(url, what) {
    return fetch(new URL(url, base).href, { credentials: "omit" }).then(function (res) {
      if (!res.ok) {
        throw new Error(what + ": HTTP " + res.status);
      }
      return res.json();
    });
  }

  function loadConfig() {
    var configUrl = data.configUrl === undefined ? "widget-config.json" : data.configUrl;
    if (!configUrl || configUrl === "none") {
      return Promise.resolve({});
    }
    return loadJson(configUrl, "widget config");
  }

  function loadTexts() {
    return loadJson(data.textsUrl || "widget-texts.json", "widget texts");
  }

  /* ------------------------------------------------------------------------------ texts */

  // "[{clinic} ]assistant" -> "<clinic name> assistant", or "Assistant" without a clinic name
  // (web/server.py fill_widget_text does the same for widget-config.json).
  function fillText(template, values) {
    var text = String(template || "").replace(/\[([^\[\]]*)\]/g, function (all, part) {
      var names = part.match(/\{\w+\}/g) || [];
      var known = names.every(function (name) { return Boolean(values[name.slice(1, -1)]); });
      return known ? part : "";
    }).replace(/\{(\w+)\}/g, function (all, name) {
      return values[name] || "";
    });
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  function textsFor(language, table, values) {
    var raw = table[language];
    var texts = {
      languageName: raw.languageName,
      start: raw.start,
      switchRequest: raw.switchRequest,
      labels: {}
    };
    SHOWN_TEXTS.forEach(function (key) {
      texts[key] = fillText(raw[key], values);
    });
    Object.keys(raw.labels || {}).forEach(function (key) {
      texts.labels[key] = fillText(raw.labels[key], values);
    });
    var suffix = language.charAt(0).toUpperCase() + language.slice(1);
    Object.keys(DATA_TEXTS).forEach(function (attribute) {
      var own = data[attribute + suffix]; // data-title-es
      var value = own !== undefined ? own : data[attribute];
      if (value) {
        texts[DATA_TEXTS[attribute]] = value;
      }
    });
    return texts;
  }

  function settingsFrom(config, table) {
    var settings = Object.assign({}, config);
    Object.keys(DATA_SETTINGS).forEach(function (key) {
      if (data[key]) {
        settings[DATA_SETTINGS[key]] = data[key];
      }
    });
    if (!settings.socketUrl) {
      throw new Error("chat widget: no socket URL (widget-config.json or data-socket-url)");
    }
    var values = {
      clinic: data.clinicName || config.clinicName || "",
      emergency: data.emergencyNumber || config.emergencyNumber || ""
    };
    settings.texts = {};
    Object.keys(table).forEach(function (language) {
      if (table[language] && table[language].labels) {
        settings.texts[language] = textsFor(language, table, values);
      }
    });
    if (!settings.texts.en) {
      throw new Error("chat widget: widget-texts.json has no English texts");
    }
    settings.customData = Object.assign({}, config.customData || {});
    return settings;
  }

  // "es-MX" -> "es" when the widget has Spanish texts; null otherwise.
  function knownLanguage(code, texts) {
    var primary = String(code || "").trim().toLowerCase().split(/[-_]/)[0];
    return primary && Object.prototype.hasOwnProperty.call(texts, primary) ? primary : null;
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

  function Accessibility(root, widget) {
    this.root = root;
    this.widget = widget;
    this.wasOpen = null; // unknown until the widget has rendered
  }

  Accessibility.prototype.isOpen = function () {
    return Boolean(this.root.querySelector(".rw-conversation-container"));
  };

  Accessibility.prototype.apply = function () {
    var root = this.root;
    var texts = this.widget.texts();
    var labels = texts.labels;
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
    var input = root.querySelector(".rw-new-message");
    setAttrs(input, { "aria-label": labels.input });
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
    // rasa-webchat keeps its "connecting" text from the start: keep it in the widget's language.
    var loading = root.querySelector(".rw-loading");
    if (loading && loading.textContent !== texts.connecting) {
      loading.textContent = texts.connecting;
    }
    var header = root.querySelector(".rw-header");
    if (header) {
      this.widget.showToggle(header);
    }
    if (open && input && !input.disabled) {
      // Open and connected: rasa-webchat has sent the start message (or the chat goes on).
      this.widget.started = true;
    }
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

  /* ------------------------------------------------------------------ widget, language */

  function messageDelay(text) {
    // rasa-webchat "types" each message; keep it short (0.3 to 1.2 s) so answers come quickly.
    var delay = (text ? text.length : 0) * 12;
    return Math.max(300, Math.min(1200, delay));
  }

  function chatStorage(settings) {
    try {
      return settings.storage === "local" ? window.localStorage : window.sessionStorage;
    } catch (error) {
      return null; // storage blocked: the choice lasts as long as the page
    }
  }

  function ChatWidget(settings) {
    this.settings = settings;
    this.storage = chatStorage(settings);
    // A page may give the widget's container itself (<div id="clinic-chat" data-lang="es">).
    var root = document.getElementById("clinic-chat");
    if (!root) {
      root = document.createElement("div");
      root.id = "clinic-chat";
      document.body.appendChild(root);
    }
    root.classList.add("clinic-chat");
    this.root = root;
    this.language = this.firstLanguage();
    // rasa-webchat keeps the customData object it is first given and sends it with every
    // message: changing its "language" changes what the later messages carry.
    this.customData = settings.customData;
    this.customData.language = this.language;
    this.handle = null; // rasa-webchat's own handle (sendMessage), once it has rendered
    this.started = false; // a conversation is going on (seen in this page)
    this.a11y = null;
  }

  ChatWidget.prototype.firstLanguage = function () {
    var texts = this.settings.texts;
    var saved = null;
    try {
      saved = this.storage ? this.storage.getItem(LANGUAGE_KEY) : null;
    } catch (error) {
      saved = null;
    }
    var candidates = [saved, data.lang, this.root.getAttribute("data-lang"),
      document.documentElement.getAttribute("lang")];
    for (var i = 0; i < candidates.length; i += 1) {
      var language = knownLanguage(candidates[i], texts);
      if (language) {
        return language;
      }
    }
    return "en";
  };

  ChatWidget.prototype.texts = function () {
    return this.settings.texts[this.language];
  };

  ChatWidget.prototype.props = function () {
    var self = this;
    var settings = this.settings;
    var texts = this.texts();
    var props = {
      socketUrl: settings.socketUrl,
      socketPath: settings.socketPath || "/socket.io/",
      title: texts.title,
      subtitle: texts.subtitle,
      initPayload: texts.start,
      inputTextFieldHint: texts.inputHint,
      connectingText: texts.connecting,
      customData: this.customData,
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
      customMessageDelay: messageDelay,
      innerRef: function (handle) {
        if (handle) {
          self.handle = handle;
        }
      }
    };
    Object.keys(props).forEach(function (key) {
      if (props[key] === undefined) {
        delete props[key];
      }
    });
    return props;
  };

  // Rendering again with new props updates rasa-webchat in place: same socket, same messages.
  ChatWidget.prototype.render = function () {
    this.root.setAttribute("lang", this.language);
    window.WebChat.default(this.props(), this.root);
  };

  ChatWidget.prototype.conversationGoesOn = function () {
    if (this.started) {
      return true;
    }
    try {
      var saved = JSON.parse((this.storage && this.storage.getItem(SESSION_KEY)) || "null");
      return Boolean(saved && saved.conversation && saved.conversation.length);
    } catch (error) {
      return false;
    }
  };

  ChatWidget.prototype.setLanguage = function (language) {
    if (language === this.language || !this.settings.texts[language]) {
      return;
    }
    var goesOn = this.conversationGoesOn();
    this.language = language;
    this.customData.language = language;
    try {
      if (this.storage) {
        this.storage.setItem(LANGUAGE_KEY, language);
      }
    } catch (error) {
      // storage full or blocked: the choice lasts as long as the page
    }
    this.render(); // title, subtitle, hint and the start message of a conversation to come
    if (this.a11y) {
      this.a11y.apply(); // accessible names, the toggle's state
    }
    if (goesOn) {
      // As if the patient had typed it: shown in the conversation, sent to the assistant.
      var request = this.texts().switchRequest;
      if (request && this.handle && this.handle.sendMessage) {
        this.handle.sendMessage(request, request);
      }
    }
  };

  // The toggle "English | Español" at the end of the header (rasa-webchat draws the header
  // anew each time the chat opens). Buttons with aria-pressed; no <span> (the header's only
  // span is the subtitle).
  ChatWidget.prototype.showToggle = function (header) {
    var self = this;
    var group = header.querySelector(".clinic-chat-lang");
    var languages = Object.keys(this.settings.texts);
    if (languages.length < 2) {
      return;
    }
    if (!group) {
      group = document.createElement("div");
      group.className = "clinic-chat-lang";
      group.setAttribute("role", "group");
      languages.forEach(function (language, index) {
        if (index > 0) {
          var separator = document.createElement("div");
          separator.className = "clinic-chat-lang-separator";
          separator.setAttribute("aria-hidden", "true");
          separator.textContent = "|";
          group.appendChild(separator);
        }
        var button = document.createElement("button");
        button.type = "button";
        button.lang = language;
        button.setAttribute("data-lang", language);
        button.textContent = self.settings.texts[language].languageName;
        button.addEventListener("click", function () {
          self.setLanguage(language);
        });
        group.appendChild(button);
      });
      header.appendChild(group);
    }
    setAttrs(group, { "aria-label": this.texts().labels.language });
    group.querySelectorAll("button").forEach(function (button) {
      var pressed = button.getAttribute("data-lang") === self.language;
      setAttrs(button, { "aria-pressed": pressed ? "true" : "false" });
    });
  };

  function start(settings) {
    var widget = new ChatWidget(settings);
    widget.render();
    widget.a11y = new Accessibility(widget.root, widget);
    widget.a11y.start();
  }

  loadStylesheet(new URL("widget.css", base).href);
  var vendorUrl = new URL(data.vendorUrl || "vendor/rasa-webchat.js", base).href;
  Promise.all([loadConfig(), loadTexts(), loadScript(vendorUrl)])
    .then(function (results) { start(settingsFrom(results[0], results[1])); })
    .catch(function (error) { console.error("chat widget:", error); });
})();

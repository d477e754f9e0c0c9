// Browser notifications and sound for new live notifications (PRODUCT.md §6.1: "Sound
// is off by default. Browser notifications only with permission.").
//
// Both are settings of this browser (localStorage), off by default, switched in
// /settings → "Notifications in this browser": turning browser notifications on asks
// the browser for permission first and stays off without it. The bell's live re-read
// calls `window.citypulseAlerts.notify(items)` with the notifications this tab has not
// shown yet; each is handled by the first of the user's tabs to get it (a claim in
// localStorage): a sound if switched on, and, while that tab is in the background, a
// system notification (title = the notification's text; a click opens its link).
(function () {
  "use strict";
  var ENABLED = "citypulse.browserNotifications";
  var SOUND = "citypulse.notificationSound";
  var CLAIM = "citypulse.notified.";
  var CLAIMS_KEPT = 50;
  var BROWSER_ID = "browser-notifications-toggle";
  var SOUND_ID = "notification-sound-toggle";
  var STATUS_ID = "browser-notifications-status";

  function supported() {
    return "Notification" in window;
  }
  function isOn(key) {
    try {
      return window.localStorage.getItem(key) === "on";
    } catch (error) {
      return false;
    }
  }
  function remember(key, on) {
    try {
      if (on) window.localStorage.setItem(key, "on");
      else window.localStorage.removeItem(key);
    } catch (error) {
      /* private mode: the switch holds for this page only */
    }
  }
  function say(text) {
    var status = document.getElementById(STATUS_ID);
    if (status) status.textContent = text;
  }
  function browserAllowed() {
    return isOn(ENABLED) && supported() && window.Notification.permission === "granted";
  }
  function describe() {
    if (!supported()) return "This browser cannot show notifications.";
    if (isOn(ENABLED) && window.Notification.permission === "denied")
      return "Your browser blocks notifications from CityPulse: allow them in its site settings, then switch them on again.";
    return browserAllowed()
      ? "Browser notifications are on: new notifications show while CityPulse is in the background."
      : "Browser notifications are off.";
  }
  function showSwitches() {
    var browser = document.getElementById(BROWSER_ID);
    var sound = document.getElementById(SOUND_ID);
    if (browser) browser.checked = browserAllowed();
    if (sound) sound.checked = isOn(SOUND);
    say(describe());
  }

  async function switchBrowser(box) {
    if (!box.checked) {
      remember(ENABLED, false);
      say("Browser notifications are off.");
      return;
    }
    if (!supported()) {
      box.checked = false;
      say("This browser cannot show notifications.");
      return;
    }
    var permission = window.Notification.permission;
    if (permission === "default") {
      say("Waiting for your browser's permission…");
      try {
        permission = await window.Notification.requestPermission();
      } catch (error) {
        permission = "default";
      }
    }
    if (permission === "granted") {
      remember(ENABLED, true);
      say(describe());
      return;
    }
    box.checked = false;
    remember(ENABLED, false);
    say(
      permission === "denied"
        ? "Your browser blocks notifications from CityPulse: allow them in its site settings, then switch them on again."
        : "Permission was not given, so browser notifications stay off."
    );
  }

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box || !box.id) return;
    if (box.id === BROWSER_ID) switchBrowser(box);
    else if (box.id === SOUND_ID) {
      remember(SOUND, box.checked);
      say(box.checked ? "Sound is on for new notifications." : "Sound is off.");
    }
  });
  // The settings section mounts with the page: show what this browser has chosen. The
  // prerendered page's boxes are reset by React's hydration, so the section mounts its
  // boxes again once the tab's state has arrived (components/notifications_settings.py),
  // and each new box is set here.
  var shownBoxes = new WeakSet();
  new MutationObserver(function () {
    var browser = document.getElementById(BROWSER_ID);
    if (browser && !shownBoxes.has(browser)) {
      shownBoxes.add(browser);
      showSwitches();
    }
  }).observe(document.documentElement, { childList: true, subtree: true });

  function claim(id) {
    // The first of the user's tabs to get a notification handles it.
    try {
      var key = CLAIM + id;
      if (window.localStorage.getItem(key)) return false;
      window.localStorage.setItem(key, String(Date.now()));
      var claims = [];
      for (var i = 0; i < window.localStorage.length; i++) {
        var name = window.localStorage.key(i);
        if (name && name.indexOf(CLAIM) === 0) claims.push(name);
      }
      claims.sort(function (a, b) {
        return Number(a.slice(CLAIM.length)) - Number(b.slice(CLAIM.length));
      });
      claims.slice(0, Math.max(0, claims.length - CLAIMS_KEPT)).forEach(function (old) {
        window.localStorage.removeItem(old);
      });
    } catch (error) {
      /* no storage: every tab handles it */
    }
    return true;
  }

  var audio = null;
  function chime() {
    try {
      var Context = window.AudioContext || window.webkitAudioContext;
      if (!Context) return;
      audio = audio || new Context();
      var tone = audio.createOscillator();
      var gain = audio.createGain();
      var now = audio.currentTime;
      tone.frequency.value = 880;
      gain.gain.setValueAtTime(0.0001, now);
      gain.gain.exponentialRampToValueAtTime(0.15, now + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + 0.3);
      tone.connect(gain);
      gain.connect(audio.destination);
      tone.start(now);
      tone.stop(now + 0.35);
    } catch (error) {
      /* no sound, nothing else lost */
    }
  }

  function show(item) {
    var shown = new window.Notification(item.title, {
      body: item.message,
      tag: "citypulse-notification-" + item.id,
      icon: "/favicon.svg",
    });
    shown.onclick = function () {
      window.focus();
      var link = String(item.link || "");
      // Only this site's own paths (the server gives site-relative links).
      if (link.charAt(0) === "/" && link.charAt(1) !== "/") window.location.assign(link);
      shown.close();
    };
  }

  window.citypulseAlerts = {
    notify: function (items) {
      (items || []).forEach(function (item) {
        if (!claim(item.id)) return;
        if (isOn(SOUND)) chime();
        if (document.visibilityState === "hidden" && browserAllowed()) show(item);
      });
    },
  };
})();

// The backend serves shared pages with a shell of its own (citypulse/api/page_meta.py):
// a <title data-cp-shell> for link previews and the page's first paint (#cp-shell: its
// heading and first photos, or placeholders) shown before the app runs, styled by its
// own <style>. The shell's stylesheet links carry media="print" data-cp-deferred-css so
// that the app's large global stylesheet does not hold that first paint: this script
// switches each on (media="all") once it has loaded, then marks <html data-cp-styled>.
// CSS keeps the mounted app hidden until it is styled and has rendered the page's
// heading (`main h1`), then hides the shell. This script (in every page's head script,
// citypulse/head_script.py) removes the leftovers for good, in the same task: the
// shell's title would otherwise stay first in <head> (document.title reads the first
// one) and go stale on the next client-side navigation. If the app has mounted but no
// heading has come GIVE_UP_MS after the page started, the stylesheets are switched on
// and the shell goes anyway, so the app is never kept hidden.
(function () {
  var GIVE_UP_MS = 8000;
  var STYLED = "data-cp-styled";
  var gaveUp = false;
  var observer = new MutationObserver(tidy);

  function styled() {
    return document.documentElement.hasAttribute(STYLED);
  }

  function switchOn(link) {
    link.media = "all";
    link.removeAttribute("data-cp-deferred-css");
    if (!document.querySelector("link[data-cp-deferred-css]")) {
      document.documentElement.setAttribute(STYLED, "");
      tidy();
    }
  }

  function switchOnWhenLoaded() {
    var links = document.querySelectorAll("link[data-cp-deferred-css]");
    if (!links.length) {
      document.documentElement.setAttribute(STYLED, "");
      return;
    }
    links.forEach(function (link) {
      if (link.sheet) return switchOn(link); // loaded before this script ran
      var done = function () {
        switchOn(link);
      };
      link.addEventListener("load", done, { once: true });
      link.addEventListener("error", done, { once: true }); // nothing to wait for
    });
  }

  function tidy() {
    var shellTitle = document.querySelector("head title[data-cp-shell]");
    if (shellTitle && document.querySelectorAll("head title").length > 1) shellTitle.remove();
    var skeleton = document.getElementById("cp-shell");
    var appReady = gaveUp ? document.querySelector("main") : styled() && document.querySelector("main h1");
    if (skeleton && appReady) skeleton.remove();
    if (!document.querySelector("head title[data-cp-shell]") && !document.getElementById("cp-shell")) {
      observer.disconnect();
    }
  }

  observer.observe(document.documentElement, { childList: true, subtree: true });
  switchOnWhenLoaded();
  setTimeout(function () {
    gaveUp = true;
    document.querySelectorAll("link[data-cp-deferred-css]").forEach(switchOn);
    tidy();
  }, GIVE_UP_MS);
  tidy();
})();

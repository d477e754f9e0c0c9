// The backend serves shared pages with a shell of its own (citypulse/api/page_meta.py):
// a <title data-cp-shell> for link previews and the page's first paint (#cp-shell: its
// heading and first photos, or placeholders) shown before the app runs. CSS keeps the
// mounted app hidden until it has rendered the page's heading (`main h1`), then hides
// the shell. This script (loaded by the shell itself from the start, and again by the
// app) removes the leftovers for good, in the same task as the heading arrives: the
// shell's title would otherwise stay first in <head> (document.title reads the first
// one) and go stale on the next client-side navigation. If the app has mounted but no
// heading has come GIVE_UP_MS after the page started, the shell goes anyway, so the app
// is never kept hidden.
(function () {
  var GIVE_UP_MS = 8000;
  var gaveUp = false;
  var observer = new MutationObserver(tidy);

  function tidy() {
    var shellTitle = document.querySelector("head title[data-cp-shell]");
    if (shellTitle && document.querySelectorAll("head title").length > 1) shellTitle.remove();
    var skeleton = document.getElementById("cp-shell");
    var appReady = document.querySelector(gaveUp ? "main" : "main h1");
    if (skeleton && appReady) skeleton.remove();
    if (!document.querySelector("head title[data-cp-shell]") && !document.getElementById("cp-shell")) {
      observer.disconnect();
    }
  }

  observer.observe(document.documentElement, { childList: true, subtree: true });
  setTimeout(function () {
    gaveUp = true;
    tidy();
  }, GIVE_UP_MS);
  tidy();
})();

// The backend serves shared pages with a shell of its own (citypulse/api/page_meta.py):
// a <title data-cp-shell> for link previews and a skeleton (#cp-shell) painted before
// the app runs. Once the app has rendered, its own title and page take over: the shell's
// title would otherwise stay first in <head> (document.title reads the first one) and go
// stale on the next client-side navigation.
(function () {
  var observer = new MutationObserver(tidy);

  function tidy() {
    var shellTitle = document.querySelector("head title[data-cp-shell]");
    if (shellTitle && document.querySelectorAll("head title").length > 1) shellTitle.remove();
    var skeleton = document.getElementById("cp-shell");
    if (skeleton && document.querySelector("main")) skeleton.remove();
    if (!document.querySelector("head title[data-cp-shell]") && !document.getElementById("cp-shell")) {
      observer.disconnect();
    }
  }

  observer.observe(document.documentElement, { childList: true, subtree: true });
  tidy();
})();

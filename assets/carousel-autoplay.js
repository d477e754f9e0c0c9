// Advances a photo carousel every 5 seconds while it is playing (PRODUCT.md §2.2).
// It only clicks the carousel's own "Next photo" button, so the page state stays the
// single source of truth. Paused by the viewer, hidden tabs, and reduced-motion settings.
(function () {
  var INTERVAL_MS = 5000;
  var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)");

  setInterval(function () {
    if (document.visibilityState !== "visible" || (reduced && reduced.matches)) return;
    var carousel = document.querySelector('[data-carousel-playing="true"]');
    if (!carousel || carousel.contains(document.activeElement)) return;
    var next = carousel.querySelector("[data-carousel-next]");
    if (next) next.click();
  }, INTERVAL_MS);
})();

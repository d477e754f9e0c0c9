// After a form is submitted, the first field the server marks invalid is scrolled into
// view and focused (issue 15 item 10), so a long form never hides its own error.
// Every CityPulse field carries aria-invalid="true" while it shows an error; errors come
// back over the live connection a moment after the submit, so this waits (a few seconds
// at most) for the first field of the submitted form to become invalid.
(function () {
  var WAIT_MS = 8000;
  var pending = null; // { form, until }

  function focusFirstInvalid() {
    if (!pending || Date.now() > pending.until) {
      pending = null;
      return;
    }
    var form = pending.form;
    var scope = form !== document && form.isConnected ? form : document;
    var field = scope.querySelector('[aria-invalid="true"]');
    if (!field) return;
    pending = null;
    field.scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
  }

  document.addEventListener(
    "submit",
    function (event) {
      pending = { form: event.target, until: Date.now() + WAIT_MS };
    },
    true
  );
  // Forms sent by a button's click handler instead of a submit mark it data-submit.
  document.addEventListener(
    "click",
    function (event) {
      var button = event.target.closest && event.target.closest("[data-submit]");
      if (button) pending = { form: document, until: Date.now() + WAIT_MS };
    },
    true
  );

  new MutationObserver(function (records) {
    if (!pending) return;
    for (var i = 0; i < records.length; i++) {
      var target = records[i].target;
      if (target.getAttribute && target.getAttribute("aria-invalid") === "true") {
        // Let the whole delta render first: an earlier field may turn invalid too.
        window.requestAnimationFrame(focusFirstInvalid);
        return;
      }
    }
  }).observe(document.documentElement, {
    subtree: true,
    attributes: true,
    attributeFilter: ["aria-invalid"],
  });
})();

// Reconnect backoff of 1 s to 30 s (PRODUCT.md §6.9) for Reflex's live connection.
// Reflex 0.10.1's client (utils/state.js, retryConnect) retries a failed connection
// after `200 ms × failed attempts` (attempts capped at 10: at most 2 s), with no
// setting to change it. That timer's callback is the only one that calls the socket's
// `reconnect()` with such a delay, so this stretches exactly it: attempt n waits
// 2^(n-1) s plus up to 20 % jitter, at most 30 s (so reconnecting tabs do not return in
// lockstep). The first reconnect after a drop stays immediate. Checked by
// tests/e2e/test_notifications_live.py (the "Reconnecting…" indicator and recovery).
(function () {
  var STEP_MS = 200;
  var MAX_ATTEMPTS = 10;
  var CAP_MS = 30000;
  var original = window.setTimeout;

  function isReflexRetry(callback, delay) {
    if (typeof callback !== "function" || typeof delay !== "number") return false;
    if (delay <= 0 || delay > STEP_MS * MAX_ATTEMPTS || delay % STEP_MS !== 0) return false;
    var source = Function.prototype.toString.call(callback);
    return source.indexOf(".reconnect()") !== -1 && source.indexOf("connected") !== -1;
  }

  window.setTimeout = function (callback, delay) {
    if (isReflexRetry(callback, delay)) {
      var attempt = delay / STEP_MS;
      var base = 1000 * Math.pow(2, attempt - 1);
      var args = Array.prototype.slice.call(arguments);
      args[1] = Math.min(Math.round(base * (1 + Math.random() * 0.2)), CAP_MS);
      return original.apply(window, args);
    }
    return original.apply(window, arguments);
  };
})();

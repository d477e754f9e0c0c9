// Keeps the access cookie fresh while a CityPulse page is open.
// The session cookies are HttpOnly, so this script never sees them: it only reads the
// harmless `cp_access_expires` hint and, shortly before expiry, asks /auth/refresh to
// rotate the refresh token and renew the access token. The check is local (no request)
// and runs once a minute and whenever the page becomes visible again; a request goes
// out at most once per token lifetime.
//
// The live connection keeps the cookie it was opened with. The server reopens a socket
// whose token expired while it was open, but it does not accept a cookie that was
// already long expired when the socket opened (a copied cookie must stop working). So
// when the page wakes up (laptop lid, background tab) with an expired token and the
// refresh succeeds, the page reloads to open its connection with the fresh cookie.
(function () {
  var MARGIN_SECONDS = 120;

  function expiresAt() {
    var match = document.cookie.match(/(?:^|;\s*)cp_access_expires=(\d+)/);
    return match ? parseInt(match[1], 10) : null;
  }

  function refreshIfDue() {
    var expiry = expiresAt();
    var now = Date.now() / 1000;
    if (expiry === null || expiry - now > MARGIN_SECONDS) return;
    var alreadyExpired = expiry <= now;
    fetch("/auth/refresh", { method: "POST", credentials: "same-origin" })
      .then(function (response) {
        if (alreadyExpired && response.ok) window.location.reload();
      })
      .catch(function () {});
  }

  refreshIfDue();
  setInterval(refreshIfDue, 60 * 1000);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") refreshIfDue();
  });
})();

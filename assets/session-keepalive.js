// Keeps the access cookie fresh while a CityPulse page is open.
// The session cookies are HttpOnly, so this script never sees them: it only reads the
// harmless `cp_access_expires` hint and, shortly before expiry, asks /auth/refresh to
// rotate the refresh token and renew the access token. The check is local (no request)
// and runs once a minute; a request goes out at most once per token lifetime.
(function () {
  var MARGIN_SECONDS = 120;

  function expiresAt() {
    var match = document.cookie.match(/(?:^|;\s*)cp_access_expires=(\d+)/);
    return match ? parseInt(match[1], 10) : null;
  }

  function refreshIfDue() {
    var expiry = expiresAt();
    if (expiry === null || expiry - Date.now() / 1000 > MARGIN_SECONDS) return;
    fetch("/auth/refresh", { method: "POST", credentials: "same-origin" }).catch(function () {});
  }

  refreshIfDue();
  setInterval(refreshIfDue, 60 * 1000);
})();

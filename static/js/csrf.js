/*
 * Send Django's CSRF token with every htmx request, so that hx-post/hx-delete work under the CSRF middleware.
 * The token comes from <meta name="csrf-token"> when a page provides one, otherwise from the csrftoken cookie.
 * Loaded as a file (no inline script) because the Content-Security-Policy forbids inline code.
 */
(function () {
  "use strict";

  function readCookie(name) {
    var prefix = name + "=";
    var parts = document.cookie ? document.cookie.split(";") : [];
    for (var i = 0; i < parts.length; i += 1) {
      var part = parts[i].trim();
      if (part.indexOf(prefix) === 0) {
        return decodeURIComponent(part.slice(prefix.length));
      }
    }
    return "";
  }

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && meta.content) {
      return meta.content;
    }
    var field = document.querySelector('input[name="csrfmiddlewaretoken"]');
    if (field && field.value) {
      return field.value;
    }
    return readCookie("csrftoken");
  }

  document.addEventListener("htmx:configRequest", function (event) {
    var token = csrfToken();
    if (token) {
      event.detail.headers["X-CSRFToken"] = token;
    }
  });
})();

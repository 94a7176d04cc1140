/*
 * A table too wide for the screen scrolls inside its .table-wrap; keyboard users can only scroll it if the wrapper
 * can take focus. Templates should write <div class="table-wrap" tabindex="0" role="region" aria-labelledby="…">
 * (docs/howto/design-system.md); for wrappers written without it, make the ones that actually overflow focusable.
 */
(function () {
  "use strict";

  function enhance(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll(".table-wrap:not([tabindex])"), function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth) {
        wrap.setAttribute("tabindex", "0");
        var caption = wrap.querySelector("caption");
        if (caption && !wrap.hasAttribute("role")) {
          if (!caption.id) {
            caption.id = "table-caption-" + Math.random().toString(36).slice(2, 10);
          }
          wrap.setAttribute("role", "region");
          wrap.setAttribute("aria-labelledby", caption.id);
        }
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      enhance(document);
    });
  } else {
    enhance(document);
  }
  window.addEventListener("resize", function () {
    enhance(document);
  });
  document.addEventListener("htmx:load", function (event) {
    enhance(event.target);
  });
})();

/*
 * Open a native <dialog> from any element with data-dialog-open="<dialog id>".
 * Without JavaScript the trigger is an ordinary link to a page that does the same job, so nothing depends on this.
 * The dialog closes with Escape (native), with its close button (a <form method="dialog">) or by clicking the backdrop;
 * focus returns to the trigger.
 */
(function () {
  "use strict";

  function openDialog(trigger, dialog) {
    if (typeof dialog.showModal !== "function") {
      return false;
    }
    dialog.showModal();
    dialog.addEventListener(
      "close",
      function () {
        trigger.focus();
      },
      { once: true }
    );
    return true;
  }

  document.addEventListener("click", function (event) {
    var trigger = event.target.closest("[data-dialog-open]");
    if (trigger) {
      var dialog = document.getElementById(trigger.getAttribute("data-dialog-open"));
      if (dialog && dialog.tagName === "DIALOG" && openDialog(trigger, dialog)) {
        event.preventDefault();
      }
      return;
    }
    // A click on the backdrop lands on the <dialog> element itself.
    if (event.target.tagName === "DIALOG" && event.target.open) {
      var box = event.target.getBoundingClientRect();
      var inside =
        event.clientX >= box.left && event.clientX <= box.right && event.clientY >= box.top && event.clientY <= box.bottom;
      if (!inside) {
        event.target.close();
      }
    }
  });
})();

// Pasting from a word processor into the document's text area keeps headings and lists: when the clipboard holds
// HTML, that HTML is inserted instead of the plain text (the server sanitises and splits it). Without JavaScript
// the plain text is pasted and split by blank lines and numbered headings.
(function () {
  "use strict";
  function onPaste(event) {
    var data = event.clipboardData;
    if (!data) {
      return;
    }
    var html = data.getData("text/html");
    if (!html) {
      return;
    }
    event.preventDefault();
    var area = event.target;
    var start = area.selectionStart;
    var end = area.selectionEnd;
    area.value = area.value.slice(0, start) + html + area.value.slice(end);
    area.selectionStart = area.selectionEnd = start + html.length;
  }
  document.addEventListener("DOMContentLoaded", function () {
    var areas = document.querySelectorAll("textarea[data-rich-paste]");
    for (var i = 0; i < areas.length; i += 1) {
      areas[i].addEventListener("paste", onPaste);
    }
  });
})();

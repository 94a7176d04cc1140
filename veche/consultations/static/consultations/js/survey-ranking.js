/* Survey ranking: each option has a rank select (works without JavaScript). This adds "Move up" / "Move down"
   buttons that reorder the list and number every select by its position, and announces the new position. */
(function () {
  "use strict";

  function setUp(list) {
    if (list.dataset.rankingReady) return;
    list.dataset.rankingReady = "1";
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    list.parentNode.insertBefore(status, list.nextSibling);

    function rows() {
      return Array.prototype.slice.call(list.querySelectorAll(".ranking__row"));
    }

    function renumber() {
      rows().forEach(function (row, index) {
        var select = row.querySelector("select");
        if (select) select.value = String(index + 1);
      });
    }

    function refresh() {
      var all = rows();
      all.forEach(function (row, index) {
        row.querySelector("[data-move='up']").disabled = index === 0;
        row.querySelector("[data-move='down']").disabled = index === all.length - 1;
      });
    }

    function move(row, up) {
      var sibling = up ? row.previousElementSibling : row.nextElementSibling;
      if (!sibling) return;
      if (up) list.insertBefore(row, sibling);
      else list.insertBefore(sibling, row);
      renumber();
      refresh();
      var label = row.querySelector(".ranking__label");
      var position = rows().indexOf(row) + 1;
      status.textContent = (list.dataset.moved || "{option}: {position}")
        .replace("{option}", label ? label.textContent.trim() : "")
        .replace("{position}", String(position));
      var button = row.querySelector("[data-move='" + (up ? "up" : "down") + "']");
      if (button.disabled) button = row.querySelector("[data-move='" + (up ? "down" : "up") + "']");
      button.focus();
    }

    rows().forEach(function (row) {
      var label = row.querySelector(".ranking__label");
      var name = label ? label.textContent.trim() : "";
      var box = document.createElement("span");
      box.className = "ranking__buttons";
      [["up", list.dataset.moveUp || "Move up"], ["down", list.dataset.moveDown || "Move down"]].forEach(function (spec) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "button button--secondary button--small";
        button.dataset.move = spec[0];
        button.textContent = spec[0] === "up" ? "↑" : "↓";
        button.setAttribute("aria-label", spec[1] + ": " + name);
        button.addEventListener("click", function () { move(row, spec[0] === "up"); });
        box.appendChild(button);
      });
      row.appendChild(box);
    });
    refresh();
  }

  function init() {
    document.querySelectorAll("[data-ranking]").forEach(setUp);
  }

  document.addEventListener("DOMContentLoaded", init);
})();

/*
 * Turn a list of in-page links into the WAI-ARIA tabs pattern (tablist, tab, tabpanel, arrow-key navigation).
 * Markup: <div class="tabs" data-tabs> with links href="#panel-id", and panels <section id="panel-id" class="tabs__panel">.
 * Without JavaScript the links simply jump to the panels, which are all visible.
 */
(function () {
  "use strict";

  function setup(container) {
    var list = container.querySelector(".tabs__list");
    var tabs = Array.prototype.slice.call(container.querySelectorAll(".tabs__tab"));
    var panels = tabs.map(function (tab) {
      return document.getElementById(tab.getAttribute("href").slice(1));
    });
    if (!list || tabs.length === 0 || panels.indexOf(null) !== -1) {
      return;
    }
    list.setAttribute("role", "tablist");
    Array.prototype.forEach.call(list.children, function (item) {
      item.setAttribute("role", "presentation");
    });

    function select(index, moveFocus) {
      tabs.forEach(function (tab, i) {
        var selected = i === index;
        tab.setAttribute("aria-selected", selected ? "true" : "false");
        tab.setAttribute("tabindex", selected ? "0" : "-1");
        panels[i].hidden = !selected;
      });
      if (moveFocus) {
        tabs[index].focus();
      }
    }

    tabs.forEach(function (tab, index) {
      if (!tab.id) {
        tab.id = panels[index].id + "-tab";
      }
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", panels[index].id);
      panels[index].setAttribute("role", "tabpanel");
      panels[index].setAttribute("aria-labelledby", tab.id);
      panels[index].setAttribute("tabindex", "0");
      tab.addEventListener("click", function (event) {
        event.preventDefault();
        select(index, false);
        if (history.replaceState) {
          history.replaceState(null, "", "#" + panels[index].id);
        }
      });
      tab.addEventListener("keydown", function (event) {
        var next = null;
        if (event.key === "ArrowRight" || event.key === "ArrowDown") {
          next = (index + 1) % tabs.length;
        } else if (event.key === "ArrowLeft" || event.key === "ArrowUp") {
          next = (index - 1 + tabs.length) % tabs.length;
        } else if (event.key === "Home") {
          next = 0;
        } else if (event.key === "End") {
          next = tabs.length - 1;
        }
        if (next !== null) {
          event.preventDefault();
          select(next, true);
        }
      });
    });

    var initial = 0;
    panels.forEach(function (panel, i) {
      if (window.location.hash === "#" + panel.id) {
        initial = i;
      }
    });
    select(initial, false);
  }

  function init(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("[data-tabs]:not([data-tabs-ready])"), function (el) {
      el.setAttribute("data-tabs-ready", "");
      setup(el);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      init(document);
    });
  } else {
    init(document);
  }
  document.addEventListener("htmx:load", function (event) {
    init(event.target);
  });
})();

/* The budget ballot (templates budgeting/vote_ballot.html): instant filtering by search and category, and a running
   meter — money spent and left for knapsack ballots, "chosen N of K" for approval, points left for cumulative ballots,
   projects ranked for rankings. Everything it does, the server also does without it: the filter button reloads the
   ballot filtered with the selection kept, and the meter's first text is written by the server.

   Also, on every voting page: focus the error summary when there is one, and keep "Cast my vote" from sending a
   second ballot on a double click (the server refuses a second ballot anyway). */
(function () {
  "use strict";

  function readJson(id) {
    var element = document.getElementById(id);
    if (!element) return {};
    try {
      return JSON.parse(element.textContent);
    } catch (error) {
      return {};
    }
  }

  function fill(template, values) {
    return String(template || "").replace(/%\((\w+)\)s/g, function (match, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : match;
    });
  }

  /* Lower case without accents, like fold() in views/voting.py: "namesti" finds "Náměstí". */
  function fold(text) {
    return String(text || "")
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase();
  }

  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary], .form-errors, [data-focus-on-load]");
    if (!summary) return;
    if (!summary.hasAttribute("tabindex")) summary.setAttribute("tabindex", "-1");
    summary.focus();
  }

  function guardCast(form) {
    var sent = false;
    form.addEventListener("submit", function (event) {
      if (sent) {
        event.preventDefault();
        return;
      }
      if (event.submitter && event.submitter.hasAttribute("data-cast-button")) {
        sent = true;
        event.submitter.setAttribute("aria-disabled", "true");
      }
    });
    /* Coming back with the Back button must not leave the form locked. */
    window.addEventListener("pageshow", function () {
      sent = false;
    });
  }

  function setUpBallot(form) {
    var texts = readJson("ballot-texts");
    var type = form.dataset.ballotType;
    var budget = parseFloat(form.dataset.budget) || 0;
    var limit = form.dataset.limit ? parseInt(form.dataset.limit, 10) : null;
    var rows = Array.prototype.slice.call(form.querySelectorAll("[data-project]"));
    var status = form.querySelector("[data-ballot-status]");
    var meter = form.querySelector("[data-ballot-meter]");
    var meterBox = form.querySelector("[data-ballot-meter-box]");
    var shownText = form.querySelector("[data-ballot-shown]");
    var none = form.querySelector("[data-ballot-none]");
    var search = form.querySelector("[name=q]");
    var category = form.querySelector("[name=category]");
    var onlyChosen = form.querySelector("[name=only_chosen]");
    var filterButton = form.querySelector("[data-ballot-filter-button]");
    var language = document.documentElement.lang || undefined;
    var numbers = new Intl.NumberFormat(language, { maximumFractionDigits: 2 });

    function money(amount) {
      return numbers.format(amount) + " " + (texts.currency || "");
    }

    function control(row) {
      return row.querySelector("[data-ballot-input]");
    }

    function markOf(row) {
      var input = control(row);
      if (!input) return null;
      if (input.type === "checkbox") return input.checked ? 1 : null;
      var value = input.value.trim();
      if (value === "") return null;
      var number = Number(value);
      if (type === "cumulative" && number === 0) return null;
      return isNaN(number) ? null : number;
    }

    function updateMeter() {
      var count = 0;
      var spent = 0;
      var points = 0;
      rows.forEach(function (row) {
        var mark = markOf(row);
        row.classList.toggle("ballot-row--chosen", mark !== null);
        if (mark === null) return;
        count += 1;
        spent += parseFloat(row.dataset.cost) || 0;
        points += mark;
      });
      var text;
      var over = false;
      var value = count;
      if (type === "knapsack") {
        value = spent;
        over = spent > budget + 1e-9;
        text = over
          ? fill(texts.over_budget, { over: money(spent - budget) })
          : fill(texts.spent, { spent: money(spent), budget: money(budget), left: money(budget - spent) });
      } else if (type === "cumulative") {
        value = points;
        over = limit !== null && points > limit;
        text = over
          ? fill(texts.points_over, { used: points, total: limit, over: points - limit })
          : fill(texts.points, { used: points, total: limit, left: (limit || 0) - points });
      } else {
        var key = type === "ranking" ? "ranked" : "chosen";
        over = limit !== null && count > limit;
        text = limit !== null ? fill(texts[key + "_limit"], { count: count, limit: limit }) : fill(texts[key], { count: count });
        if (over) text += " " + fill(texts.excess, { excess: count - limit });
      }
      if (status && status.textContent !== text) status.textContent = text;
      if (meter) {
        var limitValue = parseFloat(meter.getAttribute("high")) || 0;
        meter.max = Math.max(value, limitValue);
        meter.value = value;
      }
      if (meterBox) meterBox.classList.toggle("ballot-meter--over", over);
    }

    var announceTimer = null;

    function applyFilters() {
      var query = search ? fold(search.value.trim()) : "";
      var wanted = category ? category.value : "";
      var mine = onlyChosen ? onlyChosen.checked : false;
      var shown = 0;
      rows.forEach(function (row) {
        var match =
          (!query || row.dataset.search.indexOf(query) !== -1) &&
          (!wanted || row.dataset.category === wanted) &&
          (!mine || markOf(row) !== null);
        row.hidden = !match;
        if (match) shown += 1;
      });
      if (none) none.hidden = shown !== 0;
      /* Say how many are shown once typing pauses, not on every key. */
      window.clearTimeout(announceTimer);
      announceTimer = window.setTimeout(function () {
        if (shownText) shownText.textContent = fill(texts.shown, { shown: shown, total: rows.length });
      }, 400);
    }

    if (shownText) {
      shownText.setAttribute("role", "status");
      shownText.setAttribute("aria-live", "polite");
    }
    if (filterButton) filterButton.hidden = true;
    var clearButton = form.querySelector("[data-ballot-clear-button]");
    if (clearButton) clearButton.hidden = true;

    if (search) search.addEventListener("input", applyFilters);
    if (category) category.addEventListener("change", applyFilters);
    if (onlyChosen) onlyChosen.addEventListener("change", applyFilters);

    form.addEventListener("change", function (event) {
      if (event.target.hasAttribute("data-ballot-input")) updateMeter();
    });
    form.addEventListener("input", function (event) {
      if (event.target.hasAttribute("data-ballot-input")) updateMeter();
    });

    /* Enter in the search box (or a number box) filters here instead of reloading the page. */
    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      if (!submitter || submitter === filterButton || submitter === clearButton) {
        event.preventDefault();
        applyFilters();
      }
    });

    /* The Back button may restore ticked boxes from the browser's memory: recount them. */
    window.addEventListener("pageshow", function () {
      updateMeter();
      applyFilters();
    });
    updateMeter();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var ballot = document.querySelector("[data-ballot]");
    if (ballot) setUpBallot(ballot);
    var cast = document.querySelector("[data-cast-form]");
    if (cast) guardCast(cast);
    focusErrorSummary();
  });
})();

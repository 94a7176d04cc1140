/* Proposal form: shows the running total of the cost items next to the estimate, and says when the typed estimate
   differs from it. The server checks the same rule; without this file the form works the same. */
(function () {
  "use strict";

  function parse(value) {
    var number = parseFloat(String(value || "").replace(/\s/g, "").replace(",", "."));
    return isNaN(number) ? null : number;
  }

  function setUp(box) {
    var line = box.querySelector("[data-cost-total-line]");
    var output = box.querySelector("[data-cost-total]");
    var estimate = box.querySelector("[data-cost-estimate]");
    if (!line || !output) return;
    var format = new Intl.NumberFormat(document.documentElement.lang || undefined, { maximumFractionDigits: 2 });

    function update() {
      var total = 0;
      var any = false;
      box.querySelectorAll("[data-cost-amount]").forEach(function (input) {
        var value = parse(input.value);
        if (value !== null) {
          total += value;
          any = true;
        }
      });
      line.hidden = !any;
      output.textContent = format.format(total);
      if (estimate) {
        var typed = parse(estimate.value);
        if (any && typed === null) estimate.placeholder = format.format(total);
        line.classList.toggle("field--invalid", any && typed !== null && Math.abs(typed - total) > 0.005);
      }
    }

    box.addEventListener("input", update);
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-cost-items]").forEach(setUp);
  });
})();

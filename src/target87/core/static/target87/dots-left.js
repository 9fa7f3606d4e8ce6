// A dots ballot says how many dots are left as the voter types (the page works without it: the server counts).
// Listens on the document, so it keeps working when htmx replaces the ballot's panel.
(function () {
  "use strict";

  function say(form) {
    var total = parseInt(form.getAttribute("data-dots"), 10) || 0;
    var out = form.querySelector("[data-dots-left]");
    if (!out) return;
    var placed = 0;
    form.querySelectorAll('input[type="number"]').forEach(function (input) {
      var n = parseInt(input.value, 10);
      if (n > 0) placed += n;
    });
    var left = total - placed;
    var n = Math.abs(left);
    var key = (left >= 0 ? "data-left-" : "data-over-") + (n === 1 ? "one" : "many");
    var text = out.getAttribute(key) || "";
    out.textContent = text.replace(n === 1 ? "1" : "2", String(n));
    out.classList.toggle("over", left < 0);
  }

  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("form[data-dots]");
    if (form) say(form);
  });
})();

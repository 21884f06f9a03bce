// The queue (/demandes/): a box to tick every request of the page, and how many are
// ticked, said next to "Pour les demandes cochées". Without JavaScript the boxes are
// ticked one by one and the form works the same.
(function () {
  "use strict";
  var form = document.querySelector("[data-bulk-form]");
  if (!form) { return; }
  var all = form.querySelector("[data-select-all]");
  var count = form.querySelector("[data-bulk-count]");
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name='demandes']"));
  var lang = document.documentElement.lang || "fr";

  function said(n) {
    if (lang.indexOf("en") === 0) { return n === 1 ? "(1 ticked)" : "(" + n + " ticked)"; }
    return n <= 1 ? "(" + n + " cochée)" : "(" + n + " cochées)";
  }

  function update() {
    var ticked = boxes.filter(function (box) { return box.checked; }).length;
    if (count) { count.textContent = ticked ? said(ticked) : ""; }
    if (all) {
      all.checked = ticked > 0 && ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    }
  }

  if (all && boxes.length) {
    all.hidden = false;
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
      update();
    });
  }
  boxes.forEach(function (box) { box.addEventListener("change", update); });
  update();
})();

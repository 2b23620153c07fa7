// lines.js: "Add a row" on the new-claim form without a round trip. Without JavaScript the
// button submits the form, which comes back with one more row.
(function () {
  "use strict";
  var button = document.getElementById("add-row");
  var body = document.getElementById("shipment-rows");
  var count = document.getElementById("row-count");
  if (!button || !body || !count) {
    return;
  }
  button.addEventListener("click", function (ev) {
    var rows = body.querySelectorAll("tr.shipment-row");
    if (rows.length === 0) {
      return;
    }
    ev.preventDefault();
    var n = parseInt(count.value, 10) + 1;
    var row = rows[rows.length - 1].cloneNode(true);
    row.querySelectorAll("small, input[type=hidden]").forEach(function (el) { el.remove(); });
    row.querySelectorAll("input, select").forEach(function (el) {
      el.name = el.name.replace(/_\d+$/, "_" + n);
      if (el.getAttribute("aria-label")) {
        el.setAttribute("aria-label", el.getAttribute("aria-label").replace(/\d+/, String(n)));
      }
      el.removeAttribute("aria-invalid");
      el.removeAttribute("id");
      if (el.tagName === "SELECT") {
        el.selectedIndex = 0;
      } else {
        el.value = "";
      }
    });
    row.firstElementChild.textContent = String(n);
    body.appendChild(row);
    count.value = String(n);
    var first = row.querySelector("input");
    if (first) {
      first.focus();
    }
  });
})();

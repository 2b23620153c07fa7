// Asks before the decisions that cannot be undone (reject, withdraw). Without script the
// buttons still work; this only adds a second chance.
document.addEventListener("click", function (e) {
  var b = e.target.closest("[data-confirm]");
  if (b && !window.confirm(b.getAttribute("data-confirm"))) {
    e.preventDefault();
  }
});

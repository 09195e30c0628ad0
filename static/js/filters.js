// The filter panel is a <details> closed in the HTML so that on a phone the results
// come first; on a wide screen, where it sits beside the results, open it.
(function () {
  var wide = window.matchMedia("(min-width: 48.01rem)");
  document.querySelectorAll("details[data-open-on-wide-screens]").forEach(function (panel) {
    if (wide.matches) {
      panel.open = true;
    }
  });
  // Submit only the fields that are set, so the address is the view's short permalink
  // (the server redirects an address with empty fields to the same view, too).
  document.querySelectorAll(".filters form").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("input, select").forEach(function (field) {
        if (field.name && !field.value) {
          field.disabled = true;
        }
      });
    });
  });
})();
// Coming back to the page (back button, page cache), the fields must work again.
window.addEventListener("pageshow", function () {
  document.querySelectorAll(".filters form [disabled]").forEach(function (field) {
    field.disabled = false;
  });
});

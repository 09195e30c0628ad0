// "Cite this": put today's date (the reader's own) into the citation, and offer a copy
// button where the Clipboard API exists. Without this script the citation is still
// plain, selectable text with a placeholder for the access date.
(function () {
  "use strict";
  var today = new Date().toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric" });
  document.querySelectorAll("[data-access-date]").forEach(function (slot) {
    slot.textContent = today;
  });
  if (!navigator.clipboard) {
    return;
  }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    var status = button.parentNode.querySelector(".copy-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent).then(
        function () { status.textContent = "Citation copied."; },
        function () { status.textContent = "Could not copy; select the text instead."; }
      );
    });
  });
})();
